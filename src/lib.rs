//! terraform-provider-cognito: a Terraform / OpenTofu provider (plugin protocol v6) for Amazon Cognito user pool
//! app clients.
//!
//! Three rooms, and values walk through them in one direction:
//! - [`plugin`]: how Terraform reaches us (go-plugin handshake, AutoMTLS, controller services, logging);
//! - [`tf`]: a small framework over the protocol (values, codecs, schemas, diagnostics, the Provider service);
//! - [`cognito`] and [`provider`]: the app-client resource and the provider block.

pub mod proto {
    //! Code generated from `proto/` by build.rs.
    pub mod tfplugin6 {
        tonic::include_proto!("tfplugin6");
    }
    pub mod plugin {
        tonic::include_proto!("plugin");
    }
}

pub mod cognito;
pub mod plugin;
pub mod provider;
pub mod tf;
