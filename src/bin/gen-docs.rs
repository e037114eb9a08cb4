//! Writes the registry documentation (`docs/`) from the provider's schemas and `examples/`.
//!
//! Usage: `cargo run --bin gen-docs [-- --check]` from the repository root (or `scripts/gen-docs`). With
//! `--check` nothing is written; the exit status is 1 when `docs/` differs from what the schemas give.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use terraform_provider_cognito::provider::CognitoProvider;
use terraform_provider_cognito::tf::docs::{DocPage, render_provider_docs};

/// The provider's local name: type names lose `cognito_` in file names.
const PROVIDER_NAME: &str = "cognito";

fn main() -> ExitCode {
    let check = std::env::args().skip(1).any(|arg| arg == "--check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let pages = match render_provider_docs(PROVIDER_NAME, &CognitoProvider::new(), &root.join("examples")) {
        Ok(pages) => pages,
        Err(error) => {
            eprintln!("gen-docs: {error}");
            return ExitCode::FAILURE;
        }
    };
    let docs = root.join("docs");
    if check {
        let stale = stale_pages(&docs, &pages);
        for path in &stale {
            eprintln!("gen-docs: docs/{} is out of date", path.display());
        }
        return if stale.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    for page in &pages {
        let path = docs.join(&page.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &page.content));
        if let Err(error) = written {
            eprintln!("gen-docs: cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
        println!("docs/{}", page.path.display());
    }
    ExitCode::SUCCESS
}

/// Pages whose file is missing or differs.
fn stale_pages(docs: &Path, pages: &[DocPage]) -> Vec<PathBuf> {
    pages
        .iter()
        .filter(|page| std::fs::read_to_string(docs.join(&page.path)).ok().as_deref() != Some(page.content.as_str()))
        .map(|page| page.path.clone())
        .collect()
}
