//! Schemas: what a provider block, resource or data source accepts, and the value type Terraform derives from it.
//! Built once per process (they are static data) and turned into protocol messages on demand.

use crate::proto::tfplugin6 as pb;

use super::codec_type::type_to_json;
use super::value::{Type, Value};

/// Who sets an attribute: the user, the provider, or either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Required,
    Optional,
    Computed,
    /// The user may set it; when they don't, the provider decides (a default, or a value read back).
    OptionalComputed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: &'static str,
    pub ty: Type,
    pub presence: Presence,
    pub sensitive: bool,
    pub description: String,
    pub deprecated: bool,
    /// Terraform 1.11+ write-only argument: the value reaches the provider in the configuration only, and is never
    /// written to the plan or the state. The framework answers null for it wherever Terraform expects a planned or
    /// stored value ([`Block::without_write_only`]).
    pub write_only: bool,
}

impl Attribute {
    pub fn new(name: &'static str, ty: Type, presence: Presence, description: impl Into<String>) -> Attribute {
        Attribute {
            name,
            ty,
            presence,
            sensitive: false,
            description: description.into(),
            deprecated: false,
            write_only: false,
        }
    }

    pub fn required(name: &'static str, ty: Type, description: impl Into<String>) -> Attribute {
        Attribute::new(name, ty, Presence::Required, description)
    }

    pub fn optional(name: &'static str, ty: Type, description: impl Into<String>) -> Attribute {
        Attribute::new(name, ty, Presence::Optional, description)
    }

    pub fn computed(name: &'static str, ty: Type, description: impl Into<String>) -> Attribute {
        Attribute::new(name, ty, Presence::Computed, description)
    }

    pub fn optional_computed(name: &'static str, ty: Type, description: impl Into<String>) -> Attribute {
        Attribute::new(name, ty, Presence::OptionalComputed, description)
    }

    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }

    /// Makes an optional argument write-only (and sensitive: its value is secret by nature).
    pub fn write_only(mut self) -> Attribute {
        self.write_only = true;
        self.sensitive = true;
        self
    }

    pub fn is_computed(&self) -> bool {
        matches!(self.presence, Presence::Computed | Presence::OptionalComputed)
    }

    fn to_proto(&self) -> pb::schema::Attribute {
        pb::schema::Attribute {
            name: self.name.to_string(),
            r#type: type_to_json(&self.ty),
            nested_type: None,
            description: self.description.clone(),
            required: self.presence == Presence::Required,
            optional: matches!(self.presence, Presence::Optional | Presence::OptionalComputed),
            computed: self.is_computed(),
            sensitive: self.sensitive,
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: self.deprecated,
            write_only: self.write_only,
        }
    }
}

/// How many instances of a nested block may appear, and how they are collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// Zero or one block: the value is an object or null.
    Single,
    /// Like `Single`, but absent means an object of nulls, never null.
    Group,
    List,
    Set,
    Map,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NestedBlock {
    pub type_name: &'static str,
    pub block: Block,
    pub nesting: Nesting,
    pub min_items: i64,
    pub max_items: i64,
}

impl NestedBlock {
    /// A `list` block holding at most one instance: the form HashiCorp's AWS provider uses for its configuration
    /// blocks, so configurations port unchanged.
    pub fn list_max_one(type_name: &'static str, block: Block) -> NestedBlock {
        NestedBlock {
            type_name,
            block,
            nesting: Nesting::List,
            min_items: 0,
            max_items: 1,
        }
    }

    pub fn implied_type(&self) -> Type {
        let object = self.block.implied_type();
        match self.nesting {
            Nesting::Single | Nesting::Group => object,
            Nesting::List => Type::list(object),
            Nesting::Set => Type::set(object),
            Nesting::Map => Type::map(object),
        }
    }

    fn to_proto(&self) -> pb::schema::NestedBlock {
        use pb::schema::nested_block::NestingMode;
        let nesting = match self.nesting {
            Nesting::Single => NestingMode::Single,
            Nesting::Group => NestingMode::Group,
            Nesting::List => NestingMode::List,
            Nesting::Set => NestingMode::Set,
            Nesting::Map => NestingMode::Map,
        };
        pb::schema::NestedBlock {
            type_name: self.type_name.to_string(),
            block: Some(self.block.to_proto()),
            nesting: nesting as i32,
            min_items: self.min_items,
            max_items: self.max_items,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    pub description: String,
    pub deprecated: bool,
}

impl Block {
    pub fn new(description: impl Into<String>) -> Block {
        Block {
            description: description.into(),
            ..Block::default()
        }
    }

    pub fn attribute(mut self, attribute: Attribute) -> Block {
        self.attributes.push(attribute);
        self
    }

    pub fn block(mut self, block: NestedBlock) -> Block {
        self.blocks.push(block);
        self
    }

    /// The object type of this block's values: one attribute per attribute and nested block.
    pub fn implied_type(&self) -> Type {
        let attributes = self.attributes.iter().map(|a| (a.name, a.ty.clone()));
        let blocks = self.blocks.iter().map(|b| (b.type_name, b.implied_type()));
        Type::object(attributes.chain(blocks))
    }

    pub fn find_attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The attributes a configuration may set (neither computed-only nor optional-computed), in schema order.
    #[cfg(test)]
    pub(crate) fn argument_names(&self) -> Vec<&'static str> {
        self.attributes
            .iter()
            .filter(|a| !a.is_computed())
            .map(|a| a.name)
            .collect()
    }

    /// `value` (an object of this block's type) with every write-only attribute null, in nested blocks too: what
    /// Terraform accepts as a planned, new, refreshed or imported value.
    pub fn without_write_only(&self, value: Value) -> Value {
        let Value::Object(mut attributes) = value else {
            return value;
        };
        for attribute in self.attributes.iter().filter(|a| a.write_only) {
            if let Some(slot) = attributes.get_mut(attribute.name) {
                *slot = Value::Null;
            }
        }
        for nested in &self.blocks {
            if !nested.block.has_write_only() {
                continue;
            }
            if let Some(slot) = attributes.get_mut(nested.type_name) {
                let strip = |item: Value| nested.block.without_write_only(item);
                *slot = match std::mem::replace(slot, Value::Null) {
                    Value::List(items) => Value::List(items.into_iter().map(strip).collect()),
                    Value::Set(items) => Value::Set(items.into_iter().map(strip).collect()),
                    Value::Map(items) => Value::Map(items.into_iter().map(|(k, v)| (k, strip(v))).collect()),
                    other => strip(other),
                };
            }
        }
        Value::Object(attributes)
    }

    /// Whether this block or a nested one declares a write-only attribute.
    pub fn has_write_only(&self) -> bool {
        self.attributes.iter().any(|a| a.write_only) || self.blocks.iter().any(|b| b.block.has_write_only())
    }

    pub fn find_block(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.type_name == name)
    }

    fn to_proto(&self) -> pb::schema::Block {
        pb::schema::Block {
            version: 0,
            attributes: self.attributes.iter().map(Attribute::to_proto).collect(),
            block_types: self.blocks.iter().map(NestedBlock::to_proto).collect(),
            description: self.description.clone(),
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: self.deprecated,
        }
    }
}

/// A versioned top-level schema. The version is what Terraform records as `schema_version` in state.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
    implied_type: Type,
}

impl Schema {
    pub fn new(version: i64, block: Block) -> Schema {
        let implied_type = block.implied_type();
        Schema {
            version,
            block,
            implied_type,
        }
    }

    /// The object type of the whole configuration / state; computed once.
    pub fn value_type(&self) -> &Type {
        &self.implied_type
    }

    pub fn to_proto(&self) -> pb::Schema {
        pb::Schema {
            version: self.version,
            block: Some(self.block.to_proto()),
        }
    }

    /// Problems Terraform would report when loading this schema; checked by tests so they never reach users.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        check_block(&self.block, "", &mut problems);
        problems
    }
}

fn check_block(block: &Block, prefix: &str, problems: &mut Vec<String>) {
    let valid_name = |name: &str| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    let mut seen = std::collections::BTreeSet::new();
    for name in block
        .attributes
        .iter()
        .map(|a| a.name)
        .chain(block.blocks.iter().map(|b| b.type_name))
    {
        if !valid_name(name) {
            problems.push(format!(
                "{prefix}{name}: name may contain only lowercase letters, digits and underscores"
            ));
        }
        if !seen.insert(name) {
            problems.push(format!("{prefix}{name}: declared twice"));
        }
    }
    for attribute in &block.attributes {
        if attribute.description.trim().is_empty() {
            problems.push(format!("{prefix}{}: has no description", attribute.name));
        }
        if attribute.write_only && attribute.is_computed() {
            problems.push(format!(
                "{prefix}{}: a write-only attribute cannot be computed",
                attribute.name
            ));
        }
    }
    for nested in block.blocks.iter().filter(|b| b.nesting == Nesting::Set) {
        if nested.block.has_write_only() {
            problems.push(format!(
                "{prefix}{}: a set block cannot hold write-only attributes",
                nested.type_name
            ));
        }
    }
    for nested in &block.blocks {
        if nested.max_items != 0 && nested.min_items > nested.max_items {
            problems.push(format!(
                "{prefix}{}: min_items is greater than max_items",
                nested.type_name
            ));
        }
        check_block(&nested.block, &format!("{prefix}{}.", nested.type_name), problems);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Schema {
        Schema::new(
            1,
            Block::new("An example.")
                .attribute(Attribute::computed("id", Type::String, "The identifier."))
                .attribute(Attribute::required("name", Type::String, "The name."))
                .attribute(Attribute::optional("tags", Type::set(Type::String), "Tags.").sensitive())
                .block(NestedBlock::list_max_one(
                    "units",
                    Block::new("Units.").attribute(Attribute::optional("access_token", Type::String, "Unit.")),
                )),
        )
    }

    #[test]
    fn implied_type_has_attributes_and_blocks() {
        let schema = example();
        let Type::Object { attributes, .. } = schema.value_type() else {
            panic!("object expected")
        };
        assert_eq!(attributes.len(), 4);
        assert_eq!(
            attributes["units"],
            Type::list(Type::object([("access_token", Type::String)]))
        );
        assert!(schema.problems().is_empty());
    }

    #[test]
    fn proto_carries_flags_types_and_markdown() {
        let proto = example().to_proto();
        assert_eq!(proto.version, 1);
        let block = proto.block.unwrap();
        let tags = block.attributes.iter().find(|a| a.name == "tags").unwrap();
        assert_eq!(tags.r#type, br#"["set","string"]"#.to_vec());
        assert!(tags.optional && tags.sensitive && !tags.computed && !tags.required);
        assert_eq!(tags.description_kind, pb::StringKind::Markdown as i32);
        let id = block.attributes.iter().find(|a| a.name == "id").unwrap();
        assert!(id.computed && !id.optional);
        assert_eq!(block.block_types[0].max_items, 1);
    }

    #[test]
    fn write_only_attributes_are_flagged_sensitive_and_nulled() {
        let schema = Schema::new(
            0,
            Block::new("Write-only.")
                .attribute(Attribute::optional("secret_wo", Type::String, "A secret.").write_only())
                .attribute(Attribute::optional("version", Type::Number, "Its version."))
                .block(NestedBlock::list_max_one(
                    "inner",
                    Block::new("Inner.").attribute(Attribute::optional("key_wo", Type::String, "Key.").write_only()),
                )),
        );
        assert!(schema.problems().is_empty());
        let proto = schema.to_proto().block.unwrap();
        let secret = proto.attributes.iter().find(|a| a.name == "secret_wo").unwrap();
        assert!(secret.write_only && secret.sensitive && secret.optional && !secret.computed);
        assert!(
            !proto
                .attributes
                .iter()
                .find(|a| a.name == "version")
                .unwrap()
                .write_only
        );

        let value = Value::Object(
            [
                ("secret_wo".to_string(), Value::string("hunter2hunter2hunter2hunter2")),
                ("version".to_string(), Value::int(3)),
                (
                    "inner".to_string(),
                    Value::List(vec![Value::Object(
                        [("key_wo".to_string(), Value::string("k"))].into_iter().collect(),
                    )]),
                ),
            ]
            .into_iter()
            .collect(),
        );
        let stripped = schema.block.without_write_only(value);
        assert_eq!(stripped.attribute("secret_wo"), Some(&Value::Null));
        assert_eq!(stripped.attribute("version"), Some(&Value::int(3)));
        let inner = stripped.attribute("inner").and_then(Value::as_elements).unwrap();
        assert_eq!(inner[0].attribute("key_wo"), Some(&Value::Null));
        assert_eq!(schema.block.without_write_only(Value::Null), Value::Null);
    }

    #[test]
    fn computed_or_set_nested_write_only_attributes_are_problems() {
        let schema = Schema::new(
            0,
            Block::new("Bad.")
                .attribute(Attribute::optional_computed("wo", Type::String, "Computed.").write_only())
                .block(NestedBlock {
                    type_name: "items",
                    block: Block::new("Set.").attribute(Attribute::optional("key", Type::String, "Key.").write_only()),
                    nesting: Nesting::Set,
                    min_items: 0,
                    max_items: 0,
                }),
        );
        assert_eq!(schema.problems().len(), 2, "{:?}", schema.problems());
    }

    #[test]
    fn problems_are_found() {
        let schema = Schema::new(
            0,
            Block::new("").attribute(Attribute::optional("Bad-Name", Type::String, "")),
        );
        assert_eq!(schema.problems().len(), 2);
    }
}
