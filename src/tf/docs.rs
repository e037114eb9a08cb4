//! Registry documentation generated from the schemas: `docs/index.md`, `docs/resources/<name>.md` and
//! `docs/data-sources/<name>.md` and `docs/ephemeral-resources/<name>.md`, in the layout and style the Terraform registry (and `tfplugindocs`) use.
//!
//! The schemas' markdown descriptions are the single source of every attribute's text, so the docs cannot drift
//! from what `terraform providers schema` shows. Examples come from the conventional `examples/` tree:
//! `provider/provider.tf`, `resources/<type>/resource.tf` and `import.sh`, `data-sources/<type>/data-source.tf`,
//! `ephemeral-resources/<type>/ephemeral-resource.tf`.
//! A page may add hand-written prose in a `notes.md` next to its examples; it is included after the example.
//!
//! Rendering is pure ([`render_page`]); only [`render_provider_docs`] reads the example files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::resource::Provider;
use super::schema::{Attribute, Block, NestedBlock, Nesting, Presence, Schema};
use super::value::Type;

/// What a page documents; decides its directory, title and which example files belong to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Provider,
    Resource,
    DataSource,
    EphemeralResource,
}

impl PageKind {
    fn title(self) -> &'static str {
        match self {
            PageKind::Provider => "Provider",
            PageKind::Resource => "Resource",
            PageKind::DataSource => "Data Source",
            PageKind::EphemeralResource => "Ephemeral Resource",
        }
    }

    /// The directory of this kind's pages in `docs/` and of their examples in `examples/` (the provider's page
    /// itself is `docs/index.md`).
    fn directory(self) -> &'static str {
        match self {
            PageKind::Provider => "provider",
            PageKind::Resource => "resources",
            PageKind::DataSource => "data-sources",
            PageKind::EphemeralResource => "ephemeral-resources",
        }
    }

    /// The example file shown under "Example Usage".
    fn usage_file(self) -> &'static str {
        match self {
            PageKind::Provider => "provider.tf",
            PageKind::Resource => "resource.tf",
            PageKind::DataSource => "data-source.tf",
            PageKind::EphemeralResource => "ephemeral-resource.tf",
        }
    }
}

/// The example texts of one page; each is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Examples {
    /// HCL shown under "Example Usage".
    pub usage: Option<String>,
    /// Hand-written markdown placed after the example.
    pub notes: Option<String>,
    /// Shell lines shown under "Import" (resources only).
    pub import: Option<String>,
}

/// One generated file, its path relative to the docs directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocPage {
    pub path: PathBuf,
    pub content: String,
}

/// An example file that exists but could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct DocsError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Every page of a provider: the index, one per resource, data source and ephemeral resource, sorted by path.
/// `provider_name` is the provider's local name (`cognito`); type names lose its `<name>_` prefix in file names,
/// as the registry expects.
pub fn render_provider_docs(
    provider_name: &str,
    provider: &dyn Provider,
    examples_dir: &Path,
) -> Result<Vec<DocPage>, DocsError> {
    let mut pages = vec![DocPage {
        path: PathBuf::from("index.md"),
        content: render_page(
            PageKind::Provider,
            provider_name,
            provider.schema(),
            &read_examples(
                &examples_dir.join(PageKind::Provider.directory()),
                PageKind::Provider.usage_file(),
            )?,
        ),
    }];
    for resource in provider.resources() {
        pages.push(type_page(
            PageKind::Resource,
            provider_name,
            resource.type_name(),
            resource.schema(),
            examples_dir,
        )?);
    }
    for source in provider.data_sources() {
        pages.push(type_page(
            PageKind::DataSource,
            provider_name,
            source.type_name(),
            source.schema(),
            examples_dir,
        )?);
    }
    for ephemeral in provider.ephemeral_resources() {
        pages.push(type_page(
            PageKind::EphemeralResource,
            provider_name,
            ephemeral.type_name(),
            ephemeral.schema(),
            examples_dir,
        )?);
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(pages)
}

/// The page of one resource, data source or ephemeral resource: `<kind's directory>/<short name>.md`, with the
/// examples from `examples/<kind's directory>/<type name>/`.
fn type_page(
    kind: PageKind,
    provider_name: &str,
    type_name: &str,
    schema: &Schema,
    examples_dir: &Path,
) -> Result<DocPage, DocsError> {
    Ok(DocPage {
        path: Path::new(kind.directory()).join(format!("{}.md", short_name(provider_name, type_name))),
        content: render_page(
            kind,
            type_name,
            schema,
            &read_examples(&examples_dir.join(kind.directory()).join(type_name), kind.usage_file())?,
        ),
    })
}

fn short_name<'a>(provider_name: &str, type_name: &'a str) -> &'a str {
    type_name
        .strip_prefix(provider_name)
        .and_then(|rest| rest.strip_prefix('_'))
        .unwrap_or(type_name)
}

fn read_examples(dir: &Path, usage_file: &str) -> Result<Examples, DocsError> {
    Ok(Examples {
        usage: read_optional(&dir.join(usage_file))?,
        notes: read_optional(&dir.join("notes.md"))?,
        import: read_optional(&dir.join("import.sh"))?,
    })
}

fn read_optional(path: &Path) -> Result<Option<String>, DocsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(DocsError {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The markdown page of one provider, resource or data source.
pub fn render_page(kind: PageKind, name: &str, schema: &Schema, examples: &Examples) -> String {
    let mut page = String::new();
    let description = schema.block.description.trim();
    let _ = writeln!(page, "---");
    let _ = writeln!(
        page,
        "page_title: \"{name} {} - terraform-provider-{}\"",
        kind.title(),
        provider_of(kind, name)
    );
    let _ = writeln!(page, "subcategory: \"\"");
    let _ = writeln!(page, "description: |-");
    for line in description.lines() {
        let _ = writeln!(page, "  {line}");
    }
    let _ = writeln!(page, "---\n");
    let _ = writeln!(page, "# {name} ({})\n", kind.title());
    let _ = writeln!(page, "{description}\n");
    if let Some(usage) = &examples.usage {
        let _ = writeln!(page, "## Example Usage\n\n```terraform\n{}\n```\n", usage.trim_end());
    }
    if let Some(notes) = &examples.notes {
        let _ = writeln!(page, "{}\n", notes.trim_end());
    }
    let _ = writeln!(page, "## Schema\n");
    let mut nested = Vec::new();
    render_groups(&mut page, &schema.block, "", "###", &mut nested);
    // Nested sections may themselves add deeper ones: render breadth-first until none are left.
    let mut index = 0;
    while index < nested.len() {
        let section = nested[index].clone();
        render_nested(&mut page, &section, &mut nested);
        index += 1;
    }
    if kind == PageKind::Resource
        && let Some(import) = &examples.import
    {
        let _ = writeln!(
            page,
            "## Import\n\nImport is supported using the following syntax:\n\n```shell\n{}\n```\n",
            import.trim_end()
        );
    }
    let trimmed = page.trim_end().len();
    page.truncate(trimmed);
    page.push('\n');
    page
}

/// Providers are named after themselves; resources and data sources after their type's prefix.
fn provider_of(kind: PageKind, name: &str) -> &str {
    match kind {
        PageKind::Provider => name,
        PageKind::Resource | PageKind::DataSource | PageKind::EphemeralResource => {
            name.split('_').next().unwrap_or(name)
        }
    }
}

/// A nested schema still to be rendered: a block, or an attribute whose type holds objects.
#[derive(Debug, Clone)]
enum Section {
    Block { path: String, block: Block },
    Object { path: String, ty: Type, computed: bool },
}

fn anchor(kind: &str, path: &str) -> String {
    format!("nested{kind}--{}", path.replace('.', "--"))
}

/// Which attributes and nested blocks belong to a group of a schema page (Required, Optional, Read-Only).
type AttributeFilter = Box<dyn Fn(&Attribute) -> bool>;
type BlockFilter = Box<dyn Fn(&NestedBlock) -> bool>;

fn render_groups(page: &mut String, block: &Block, prefix: &str, heading: &str, nested: &mut Vec<Section>) {
    let groups: [(&str, AttributeFilter, BlockFilter); 3] = [
        (
            "Required",
            Box::new(|a| a.presence == Presence::Required),
            Box::new(|b| b.min_items > 0),
        ),
        (
            "Optional",
            Box::new(|a| matches!(a.presence, Presence::Optional | Presence::OptionalComputed)),
            Box::new(|b| b.min_items == 0),
        ),
        (
            "Read-Only",
            Box::new(|a| a.presence == Presence::Computed),
            Box::new(|_| false),
        ),
    ];
    for (title, attribute_filter, block_filter) in groups {
        let attributes: Vec<&Attribute> = block.attributes.iter().filter(|a| attribute_filter(a)).collect();
        let blocks: Vec<&NestedBlock> = block.blocks.iter().filter(|b| block_filter(b)).collect();
        if attributes.is_empty() && blocks.is_empty() {
            continue;
        }
        if heading.is_empty() {
            let _ = writeln!(page, "{title}:\n");
        } else {
            let _ = writeln!(page, "{heading} {title}\n");
        }
        let mut lines: Vec<(&str, String)> = Vec::new();
        for attribute in attributes {
            let path = format!("{prefix}{}", attribute.name);
            let mut flags = type_name(&attribute.ty);
            if attribute.sensitive {
                flags.push_str(", Sensitive");
            }
            if attribute.deprecated {
                flags.push_str(", Deprecated");
            }
            if attribute.write_only {
                flags.push_str(", Write-only");
            }
            let mut line = format!("- `{}` ({flags}) {}", attribute.name, attribute.description.trim());
            if contains_object(&attribute.ty) {
                let _ = write!(line, " (see [below for nested schema](#{}))", anchor("att", &path));
                nested.push(Section::Object {
                    path,
                    ty: attribute.ty.clone(),
                    computed: attribute.presence == Presence::Computed,
                });
            }
            lines.push((attribute.name, line));
        }
        for nested_block in blocks {
            let path = format!("{prefix}{}", nested_block.type_name);
            let line = format!(
                "- `{}` ({}) {} (see [below for nested schema](#{}))",
                nested_block.type_name,
                block_kind(nested_block),
                nested_block.block.description.trim(),
                anchor("block", &path)
            );
            nested.push(Section::Block {
                path,
                block: nested_block.block.clone(),
            });
            lines.push((nested_block.type_name, line));
        }
        lines.sort_by(|a, b| a.0.cmp(b.0));
        for (_, line) in lines {
            let _ = writeln!(page, "{line}");
        }
        page.push('\n');
    }
}

fn render_nested(page: &mut String, section: &Section, nested: &mut Vec<Section>) {
    match section {
        Section::Block { path, block } => {
            let _ = writeln!(page, "<a id=\"{}\"></a>", anchor("block", path));
            let _ = writeln!(page, "### Nested Schema for `{path}`\n");
            render_groups(page, block, &format!("{path}."), "", nested);
        }
        Section::Object { path, ty, computed } => {
            let _ = writeln!(page, "<a id=\"{}\"></a>", anchor("att", path));
            let _ = writeln!(page, "### Nested Schema for `{path}`\n");
            let mut object = ty;
            while let Some(element) = object.element_type() {
                object = element;
            }
            if let Type::Object { attributes, .. } = object {
                let _ = writeln!(page, "{}:\n", if *computed { "Read-Only" } else { "Optional" });
                for (name, field) in attributes {
                    let _ = writeln!(page, "- `{name}` ({})", type_name(field));
                }
                page.push('\n');
            }
        }
    }
}

fn contains_object(ty: &Type) -> bool {
    match ty {
        Type::Object { .. } => true,
        other => other.element_type().is_some_and(contains_object),
    }
}

/// The type as the registry docs write it: `String`, `Set of String`, `List of Object`, ...
pub fn type_name(ty: &Type) -> String {
    match ty {
        Type::String => "String".to_string(),
        Type::Number => "Number".to_string(),
        Type::Bool => "Boolean".to_string(),
        Type::List(element) => format!("List of {}", type_name(element)),
        Type::Set(element) => format!("Set of {}", type_name(element)),
        Type::Map(element) => format!("Map of {}", type_name(element)),
        Type::Object { .. } => "Object".to_string(),
        Type::Tuple(_) => "Tuple".to_string(),
        Type::Dynamic => "Dynamic".to_string(),
    }
}

fn block_kind(block: &NestedBlock) -> String {
    let nesting = match block.nesting {
        Nesting::Single | Nesting::Group => "Block",
        Nesting::List => "Block List",
        Nesting::Set => "Block Set",
        Nesting::Map => "Block Map",
    };
    let mut kind = nesting.to_string();
    if block.min_items > 0 {
        let _ = write!(kind, ", Min: {}", block.min_items);
    }
    if block.max_items > 0 {
        let _ = write!(kind, ", Max: {}", block.max_items);
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Schema {
        Schema::new(
            0,
            Block::new("A thing.\nOn two lines.")
                .attribute(Attribute::required("name", Type::String, "The name."))
                .attribute(Attribute::optional_computed("tags", Type::set(Type::String), "Tags."))
                .attribute(Attribute::computed("secret", Type::String, "The secret.").sensitive())
                .attribute(Attribute::computed(
                    "units",
                    Type::list(Type::object([("access", Type::String), ("id", Type::Number)])),
                    "Units.",
                ))
                .block(NestedBlock::list_max_one(
                    "rotation",
                    Block::new("Rotation.").attribute(Attribute::required("feature", Type::String, "On or off.")),
                )),
        )
    }

    #[test]
    fn groups_flags_and_nested_schemas() {
        let page = render_page(
            PageKind::Resource,
            "acme_thing",
            &example(),
            &Examples {
                usage: Some("resource \"acme_thing\" \"x\" {}\n".into()),
                notes: Some("## Notes\n\nBe careful.\n".into()),
                import: Some("terraform import acme_thing.x ID\n".into()),
            },
        );
        let expected = "---
page_title: \"acme_thing Resource - terraform-provider-acme\"
subcategory: \"\"
description: |-
  A thing.
  On two lines.
---

# acme_thing (Resource)

A thing.
On two lines.

## Example Usage

```terraform
resource \"acme_thing\" \"x\" {}
```

## Notes

Be careful.

## Schema

### Required

- `name` (String) The name.

### Optional

- `rotation` (Block List, Max: 1) Rotation. (see [below for nested schema](#nestedblock--rotation))
- `tags` (Set of String) Tags.

### Read-Only

- `secret` (String, Sensitive) The secret.
- `units` (List of Object) Units. (see [below for nested schema](#nestedatt--units))

<a id=\"nestedblock--rotation\"></a>
### Nested Schema for `rotation`

Required:

- `feature` (String) On or off.

<a id=\"nestedatt--units\"></a>
### Nested Schema for `units`

Read-Only:

- `access` (String)
- `id` (Number)

## Import

Import is supported using the following syntax:

```shell
terraform import acme_thing.x ID
```
";
        assert_eq!(page, expected);
    }

    #[test]
    fn data_sources_have_no_import_section_and_missing_examples_are_left_out() {
        let page = render_page(
            PageKind::DataSource,
            "acme_thing",
            &example(),
            &Examples {
                import: Some("ignored".into()),
                ..Examples::default()
            },
        );
        assert!(page.contains("# acme_thing (Data Source)"));
        assert!(!page.contains("## Import") && !page.contains("## Example Usage"));
    }

    #[test]
    fn file_names_lose_the_provider_prefix() {
        assert_eq!(short_name("acme", "acme_thing"), "thing");
        assert_eq!(short_name("acme", "other_thing"), "other_thing");
    }
}
