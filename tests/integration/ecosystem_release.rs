//! The release layout (`scripts/release`) and an offline install from it: the script packages this build's debug
//! binary (a release build would take minutes), the zip goes into a filesystem mirror, and the real `terraform`
//! installs it with `terraform init` (both `-plugin-dir` and a `filesystem_mirror` CLI configuration), then
//! validates and plans a configuration with it. Nothing here needs the network.
//!
//! `scripts/test` builds the static binary on Linux, which the script packages as it is; it refuses a binary that
//! needs shared libraries unless told `--allow-dynamic` (a plain `cargo test` build).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::elf;

const VERSION: &str = "0.1.0";
const HOST_PATH: &str = "example.com/acme/cognito";
const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-cognito");

/// Whether this test build, and so the provider binary built with it, links the C runtime statically.
const STATIC_BUILD: bool = cfg!(all(target_os = "linux", target_feature = "crt-static"));

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn show(output: &Output) -> String {
    format!(
        "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn os_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "linux_amd64",
        "aarch64" => "linux_arm64",
        other => panic!("no release layout for {other}"),
    }
}

/// Runs `scripts/release VERSION --binary <this build's binary> --out <dist>`, with `--allow-dynamic` for a
/// dynamic build.
fn release(dist: &Path) -> Output {
    let mut command = Command::new(repo().join("scripts/release"));
    command.args([VERSION, "--binary", BINARY, "--out"]).arg(dist);
    if !STATIC_BUILD {
        command.arg("--allow-dynamic");
    }
    command.output().expect("run scripts/release")
}

/// `terraform <args>` in `dir`, offline: only our CLI configuration, no inherited TF_/AWS_ settings.
fn terraform(dir: &Path, cli_config: &Path, args: &[&str]) -> Output {
    Command::new("terraform")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("TF_CLI_CONFIG_FILE", cli_config)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        // The provider is configured but never calls AWS while planning a create.
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run terraform")
}

const CONFIG: &str = r#"terraform {
  required_providers {
    cognito = {
      source  = "example.com/acme/cognito"
      version = "0.1.0"
    }
  }
}

provider "cognito" {}

resource "cognito_user_pool_client" "app" {
  user_pool_id = "us-east-1_AbCdEfGhI"
  name         = "installed"
}
"#;

/// A working directory with the configuration, and the mirror holding the release zip in the packed layout.
fn workspace(root: &Path, dist: &Path) -> (PathBuf, PathBuf) {
    let mirror = root.join("mirror");
    let package_dir = mirror.join(HOST_PATH);
    std::fs::create_dir_all(&package_dir).unwrap();
    let zip = format!("terraform-provider-cognito_{VERSION}_{}.zip", os_arch());
    std::fs::copy(dist.join(&zip), package_dir.join(&zip)).expect("copy the zip into the mirror");
    let work = root.join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("main.tf"), CONFIG).unwrap();
    (mirror, work)
}

fn assert_installed_and_usable(work: &Path, cli_config: &Path, init: &Output) {
    assert!(init.status.success(), "terraform init failed: {}", show(init));
    let stdout = String::from_utf8_lossy(&init.stdout);
    assert!(
        stdout.contains(&format!("Installed {HOST_PATH} v{VERSION} (unauthenticated)")),
        "{}",
        show(init)
    );
    let lock = std::fs::read_to_string(work.join(".terraform.lock.hcl")).expect("lock file");
    assert!(lock.contains("\"h1:"), "{lock}");
    let installed = work
        .join(".terraform/providers")
        .join(HOST_PATH)
        .join(VERSION)
        .join(os_arch())
        .join(format!("terraform-provider-cognito_v{VERSION}"));
    assert!(installed.is_file(), "{} not installed", installed.display());

    let validate = terraform(work, cli_config, &["validate", "-no-color"]);
    assert!(validate.status.success(), "{}", show(&validate));
    let plan = terraform(work, cli_config, &["plan", "-no-color", "-input=false"]);
    assert!(plan.status.success(), "{}", show(&plan));
    assert!(
        String::from_utf8_lossy(&plan.stdout).contains("Plan: 1 to add, 0 to change, 0 to destroy."),
        "{}",
        show(&plan)
    );
}

#[test]
fn release_layout_has_the_registry_files() {
    let root = tempfile::tempdir().unwrap();
    let dist = root.path().join("dist");
    let output = release(&dist);
    assert!(output.status.success(), "{}", show(&output));

    let zip = format!("terraform-provider-cognito_{VERSION}_{}.zip", os_arch());
    let manifest = format!("terraform-provider-cognito_{VERSION}_manifest.json");
    let sums = format!("terraform-provider-cognito_{VERSION}_SHA256SUMS");
    let registry_manifest = std::fs::read_to_string(dist.join("terraform-registry-manifest.json")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&registry_manifest).unwrap();
    assert_eq!(
        parsed,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}})
    );
    assert_eq!(
        std::fs::read_to_string(dist.join(&manifest)).unwrap(),
        registry_manifest
    );

    // The sums cover the zip and the manifest, and verify.
    let sums_text = std::fs::read_to_string(dist.join(&sums)).unwrap();
    let listed: Vec<&str> = sums_text.lines().filter_map(|l| l.split_whitespace().nth(1)).collect();
    assert_eq!(listed, [zip.as_str(), manifest.as_str()]);
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", &sums])
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", show(&check));

    // The zip holds exactly the versioned, executable binary.
    let listing = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename, oct(i.external_attr >> 16))",
        ])
        .arg(dist.join(&zip))
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert_eq!(
        listing.trim(),
        format!("terraform-provider-cognito_v{VERSION} 0o100755")
    );

    // A release built on several machines: each leaves its zip, the last step writes the sums over all of them.
    let other_platform = format!("terraform-provider-cognito_{VERSION}_darwin_arm64.zip");
    std::fs::copy(dist.join(&zip), dist.join(&other_platform)).unwrap();
    let assembled = Command::new(repo().join("scripts/release"))
        .args([VERSION, "--sums-only", "--out"])
        .arg(&dist)
        .output()
        .unwrap();
    assert!(assembled.status.success(), "{}", show(&assembled));
    let sums_text = std::fs::read_to_string(dist.join(&sums)).unwrap();
    let listed: Vec<&str> = sums_text.lines().filter_map(|l| l.split_whitespace().nth(1)).collect();
    let mut expected_zips = vec![zip.as_str(), other_platform.as_str()];
    expected_zips.sort();
    expected_zips.push(manifest.as_str());
    assert_eq!(listed, expected_zips);
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", &sums])
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", show(&check));

    // Versions Terraform could not parse are refused before anything is written.
    let bad = Command::new(repo().join("scripts/release"))
        .args(["v1.0", "--out"])
        .arg(root.path().join("bad"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "{}", show(&bad));
    assert!(!root.path().join("bad").exists());
}

/// A dynamically linked executable of this system, to offer the script: this build's own binary when it is the
/// dynamic one, else a system program.
fn a_dynamic_executable() -> Option<PathBuf> {
    [BINARY, "/bin/sh", "/usr/bin/env"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| elf::read(path).is_ok_and(|executable| !executable.is_static()))
}

#[cfg(target_os = "linux")]
#[test]
fn the_release_refuses_a_binary_that_needs_shared_libraries() {
    let Some(dynamic) = a_dynamic_executable() else {
        eprintln!("skipped: no dynamically linked executable on this system to offer the script");
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let refused = Command::new(repo().join("scripts/release"))
        .args([VERSION, "--binary"])
        .arg(&dynamic)
        .arg("--out")
        .arg(root.path())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", show(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("is not statically linked"), "{}", show(&refused));
    assert!(
        !std::fs::read_dir(root.path())
            .unwrap()
            .any(|entry| { entry.unwrap().file_name().to_string_lossy().ends_with(".zip") }),
        "nothing is packaged"
    );
    if STATIC_BUILD {
        let accepted = release(&root.path().join("dist"));
        assert!(accepted.status.success(), "{}", show(&accepted));
        assert!(
            String::from_utf8_lossy(&accepted.stderr).contains("is statically linked"),
            "{}",
            show(&accepted)
        );
    }
}

#[test]
fn terraform_init_installs_from_the_release_through_plugin_dir() {
    let root = tempfile::tempdir().unwrap();
    let dist = root.path().join("dist");
    assert!(release(&dist).status.success());
    let (mirror, work) = workspace(root.path(), &dist);
    // An empty CLI configuration: -plugin-dir alone decides where providers come from.
    let cli_config = root.path().join("empty.tfrc");
    std::fs::write(&cli_config, "").unwrap();

    let plugin_dir = format!("-plugin-dir={}", mirror.display());
    let init = terraform(&work, &cli_config, &["init", "-no-color", "-input=false", &plugin_dir]);
    assert_installed_and_usable(&work, &cli_config, &init);
}

#[test]
fn terraform_init_installs_from_a_filesystem_mirror_configuration() {
    let root = tempfile::tempdir().unwrap();
    let dist = root.path().join("dist");
    assert!(release(&dist).status.success());
    let (mirror, work) = workspace(root.path(), &dist);
    // No `direct {}`: nothing may come from the network.
    let cli_config = root.path().join("mirror.tfrc");
    std::fs::write(
        &cli_config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"example.com/acme/*\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .unwrap();

    let init = terraform(&work, &cli_config, &["init", "-no-color", "-input=false"]);
    assert_installed_and_usable(&work, &cli_config, &init);
}
