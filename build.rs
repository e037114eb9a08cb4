//! Compiles `proto/` into Rust with tonic/prost. protoc comes from the `protoc-bin-vendored` crate so a fresh
//! machine needs no manual install; a `PROTOC` already set in the environment wins.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    link_executables_at_a_fixed_address();
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

/// The executables are linked without PIE, as Go links Terraform and its providers. A position-independent
/// executable carries one relative relocation per pointer in its read-only data (35,000 here, 860 KB of `.rela.dyn`)
/// that the dynamic loader applies at every start, reading the table and dirtying every page of `.data.rel.ro`:
/// about a megabyte of resident memory and a noticeable part of the start-up time, paid four times per Terraform
/// run. A fixed-address executable needs none of it. Packed relocations (`-z pack-relative-relocs`) would shrink
/// the table too, but require glibc 2.36 at run time, which excludes too many systems still in use.
fn link_executables_at_a_fixed_address() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if linux {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
