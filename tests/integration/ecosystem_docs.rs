//! The registry docs in `docs/` are generated (`scripts/gen-docs`) from the schemas and `examples/`: this test
//! regenerates them in memory and fails when the committed files differ, so a schema change cannot ship with
//! stale docs. It also keeps the examples in `terraform fmt` form, and checks that the code's citations of the
//! developer docs (`docs/dev/`) lead somewhere.

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
            "data-sources/managed_login_branding.md",
            "data-sources/user_pool_client.md",
            "data-sources/user_pool_clients.md",
            "ephemeral-resources/user_pool_client_secret.md",
            "index.md",
            "resources/managed_login_branding.md",
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
    let resource = &pages[6].content;
    assert!(resource.contains("## Import") && resource.contains("terraform import cognito_user_pool_client."));
    assert!(resource.contains("- `client_secret` (String, Sensitive)"), "{resource}");
    assert!(
        resource.contains("(managed_login_branding)"),
        "the app client's page links to the branding style"
    );
    let branding = &pages[5].content;
    assert!(
        branding.contains("terraform import cognito_managed_login_branding."),
        "{branding}"
    );
    assert!(branding.contains("### Nested Schema for `asset`"), "{branding}");
    let secret = &pages[7].content;
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

/// The developer docs (`docs/dev/`) are what the code cites for the facts it relies on: every citation names a page
/// that exists and a section heading on it, and nothing cites documents outside the repository.
#[test]
fn developer_doc_citations_resolve() {
    let mut files = Vec::new();
    for top in [
        "src",
        "tests",
        "scripts",
        "benches",
        "fuzz/fuzz_targets",
        "docs/dev",
        ".ci",
    ] {
        source_files(&repo().join(top), &mut files);
    }
    files.push(repo().join("README.md"));
    files.push(repo().join("build.rs"));

    let mut cited = 0;
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let shown = file.strip_prefix(repo()).unwrap_or(file).display();
        let outside = [
            ["shared", "/docs"].concat(),
            ["protocol", "-facts"].concat(),
            ["cognito-client", "-facts"].concat(),
        ];
        if outside.iter().any(|name| text.contains(name.as_str())) {
            problems.push(format!("{shown} cites documents outside the repository"));
        }
        let mut citations = dev_doc_citations(&text, "docs/dev/");
        if let Ok(page) = file.strip_prefix(repo().join("docs/dev")) {
            // Links between the pages, and within one.
            let own = page.display().to_string();
            citations.extend(dev_doc_citations(&text.replace("](#", &format!("]({own}#")), "]("));
        }
        for (page, anchor) in citations {
            cited += 1;
            let Ok(target) = std::fs::read_to_string(repo().join("docs/dev").join(&page)) else {
                problems.push(format!("{shown}: docs/dev/{page} does not exist"));
                continue;
            };
            if let Some(anchor) = anchor
                && !heading_anchors(&target).contains(&anchor)
            {
                problems.push(format!("{shown}: docs/dev/{page} has no section #{anchor}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(
        cited >= 10,
        "only {cited} citations of docs/dev found: is the scan looking in the right places?"
    );
}

/// Every text file below `dir`, skipping what is built or installed there.
fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            if name != "target" && name != "corpus" && name != "artifacts" {
                source_files(&path, found);
            }
        } else {
            found.push(path);
        }
    }
}

/// `(page, anchor)` of every `<lead><page>.md` or `<lead><page>.md#<anchor>` in `text`.
fn dev_doc_citations(text: &str, lead: &str) -> Vec<(String, Option<String>)> {
    let slug_character = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut citations = Vec::new();
    for (start, _) in text.match_indices(lead) {
        let rest = &text[start + lead.len()..];
        let name_length = rest.find(|c: char| !slug_character(c)).unwrap_or(rest.len());
        let Some(after) = rest[name_length..].strip_prefix(".md") else {
            continue;
        };
        let page = format!("{}.md", &rest[..name_length]);
        let anchor = after.strip_prefix('#').map(|anchor| {
            let length = anchor.find(|c: char| !slug_character(c)).unwrap_or(anchor.len());
            anchor[..length].to_string()
        });
        citations.push((page, anchor));
    }
    citations
}

/// The anchors GitHub gives a page's headings: lower case, spaces as hyphens, other punctuation dropped.
fn heading_anchors(markdown: &str) -> BTreeSet<String> {
    markdown
        .lines()
        .filter_map(|line| line.strip_prefix('#'))
        .map(|heading| {
            heading
                .trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter_map(|c| match c {
                    ' ' => Some('-'),
                    c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                    _ => None,
                })
                .collect()
        })
        .collect()
}
