//! The registry docs in `docs/` are generated (`scripts/gen-docs`) from the schemas and `examples/`: this test
//! regenerates them in memory and fails when the committed files differ, so a schema change cannot ship with
//! stale docs. It also keeps the examples in `terraform fmt` form.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use terraform_provider_cognito::provider::CognitoProvider;
use terraform_provider_cognito::tf::docs::render_provider_docs;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every markdown file under `dir`, relative to it, except the developers' notes in `docs/dev/`, which are not
/// registry pages.
fn markdown_files(dir: &Path, relative: &Path, found: &mut BTreeSet<PathBuf>) {
    for entry in std::fs::read_dir(dir.join(relative)).expect("read the docs directory") {
        let entry = entry.expect("directory entry");
        let path = relative.join(entry.file_name());
        if path == Path::new("dev") {
            continue;
        }
        if entry.file_type().expect("file type").is_dir() {
            markdown_files(dir, &path, found);
        } else if path.extension().is_some_and(|e| e == "md") {
            found.insert(path);
        }
    }
}

#[test]
fn committed_docs_match_the_schemas() {
    let pages =
        render_provider_docs("cognito", &CognitoProvider::new(), &repo().join("examples")).expect("render the docs");
    let docs = repo().join("docs");
    let mut stale = Vec::new();
    for page in &pages {
        let committed = std::fs::read_to_string(docs.join(&page.path)).unwrap_or_default();
        if committed != page.content {
            stale.push(page.path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "docs differ from the schemas and examples: {stale:?}. Run scripts/gen-docs and commit the result."
    );

    let expected: BTreeSet<PathBuf> = pages.iter().map(|page| page.path.clone()).collect();
    let mut present = BTreeSet::new();
    markdown_files(&docs, Path::new(""), &mut present);
    assert_eq!(
        present, expected,
        "docs/ holds pages for types the provider does not have"
    );
}

#[test]
fn docs_cover_every_type_with_examples() {
    let pages =
        render_provider_docs("cognito", &CognitoProvider::new(), &repo().join("examples")).expect("render the docs");
    let paths: Vec<String> = pages.iter().map(|page| page.path.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "data-sources/user_pool_client.md",
            "data-sources/user_pool_clients.md",
            "ephemeral-resources/user_pool_client_secret.md",
            "index.md",
            "resources/user_pool_client.md",
            "resources/user_pool_client_secret.md",
        ]
    );
    for page in &pages {
        assert!(
            page.content.contains("## Example Usage"),
            "{} has no example",
            page.path.display()
        );
        assert!(page.content.contains("## Schema"), "{}", page.path.display());
    }
    let resource = &pages[4].content;
    assert!(resource.contains("## Import") && resource.contains("terraform import cognito_user_pool_client."));
    assert!(resource.contains("- `client_secret` (String, Sensitive)"), "{resource}");
    let secret = &pages[5].content;
    assert!(
        secret.contains("terraform import cognito_user_pool_client_secret."),
        "{secret}"
    );
    assert!(
        secret.contains("- `client_secret_wo` (String, Sensitive, Write-only)"),
        "{secret}"
    );
}

#[test]
fn examples_are_in_terraform_fmt_form() {
    let output = Command::new("terraform")
        .args(["fmt", "-check", "-recursive", "-list=true", "examples"])
        .current_dir(repo())
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .expect("run terraform fmt");
    assert!(
        output.status.success(),
        "not formatted: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
