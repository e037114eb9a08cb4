//! Compiles `proto/` into Rust with tonic/prost. protoc comes from the `protoc-bin-vendored` crate so a fresh
//! machine needs no manual install; a `PROTOC` already set in the environment wins.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = match std::env::var_os("PROTOC") {
        Some(path) => PathBuf::from(path),
        None => protoc_bin_vendored::protoc_bin_path()?,
    };
    let well_known = protoc_bin_vendored::include_path()?;

    let mut config = prost_build::Config::new();
    config.protoc_executable(protoc);

    let protos = [
        "proto/tfplugin6.proto",
        "proto/grpc_controller.proto",
        "proto/grpc_stdio.proto",
    ];
    let includes = [PathBuf::from("proto"), well_known];
    tonic_prost_build::configure()
        .build_server(true)
        // The client side is used by the protocol tests, which talk to the binary as Terraform does.
        .build_client(true)
        .generate_default_stubs(false)
        .compile_with_config(config, &protos.map(PathBuf::from), &includes)?;
    for proto in protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    Ok(())
}
