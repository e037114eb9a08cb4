//! Schemas: what a provider block, resource or data source accepts, and the value type Terraform derives from it.
//! Built once per process (they are static data) and turned into protocol messages on demand.
//!
//! An attribute also carries its behaviour, declared once beside its name, type and description, as
//! terraform-plugin-framework's defaults and plan modifiers are: the value planned when the configuration leaves it
//! out ([`DefaultValue`], applied by [`Block::with_defaults`]) and whether changing it replaces the object
//! ([`Attribute::requires_replace`], which the framework answers with every plan).

use crate::proto::tfplugin6 as pb;

use super::codec_type::type_to_json;
use super::diagnostics::AttributePath;
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

/// What the plan holds for an attribute the configuration leaves null.
#[derive(Debug, Clone)]
pub enum DefaultValue {
    /// Always the same value.
    Value(Value),
    /// Derived from the configuration of the object the attribute belongs to, e.g. a duration whose default
    /// depends on a unit set elsewhere. It must answer unknown while what it depends on is unknown.
    Derived(fn(&Value) -> Value),
}

impl DefaultValue {
    /// The default for an attribute of the object `config`.
    pub fn value_in(&self, config: &Value) -> Value {
        match self {
            DefaultValue::Value(value) => value.clone(),
            DefaultValue::Derived(derive) => derive(config),
        }
    }

    /// The fixed value, for those who need it without a configuration.
    pub fn fixed(&self) -> Option<&Value> {
        match self {
            DefaultValue::Value(value) => Some(value),
            DefaultValue::Derived(_) => None,
        }
    }
}

impl PartialEq for DefaultValue {
    fn eq(&self, other: &DefaultValue) -> bool {
        match (self, other) {
            (DefaultValue::Value(a), DefaultValue::Value(b)) => a == b,
            (DefaultValue::Derived(a), DefaultValue::Derived(b)) => std::ptr::fn_addr_eq(*a, *b),
            _ => false,
        }
    }
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
    /// Planned where the configuration leaves the attribute null; only an optional-computed attribute may have
    /// one (Terraform rejects a plan that sets a value the provider may not compute).
    pub default: Option<DefaultValue>,
    /// Whether a change of this attribute replaces the object instead of updating it in place.
    pub requires_replace: bool,
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
            default: None,
            requires_replace: false,
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

    /// Plans `value` where the configuration leaves this attribute null.
    pub fn default(mut self, value: Value) -> Attribute {
        self.default = Some(DefaultValue::Value(value));
        self
    }

    /// Plans what `derive` makes of the object's configuration where the configuration leaves this attribute
    /// null.
    pub fn default_from(mut self, derive: fn(&Value) -> Value) -> Attribute {
        self.default = Some(DefaultValue::Derived(derive));
        self
    }

    /// A change of this attribute replaces the object. Declared on top-level attributes only.
    pub fn requires_replace(mut self) -> Attribute {
        self.requires_replace = true;
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

    /// The default declared for attribute `name`, if any.
    pub fn default_of(&self, name: &str) -> Option<&DefaultValue> {
        self.find_attribute(name)?.default.as_ref()
    }

    /// The attributes only the provider sets (computed, not optional), in schema order.
    pub fn computed_only(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.attributes
            .iter()
            .filter(|a| a.presence == Presence::Computed)
            .map(|a| a.name)
    }

    /// `config` (an object of this block, or unknown) with every null attribute that declares a default set to
    /// it, here and in every instance of the nested blocks: the arguments as the plan shows them.
    pub fn with_defaults(&self, config: &Value) -> Value {
        let Value::Object(configured) = config else {
            return config.clone();
        };
        let mut planned = configured.clone();
        for attribute in &self.attributes {
            let Some(default) = &attribute.default else {
                continue;
            };
            let slot = planned.entry(attribute.name.to_string()).or_insert(Value::Null);
            if slot.is_null() {
                *slot = default.value_in(config);
            }
        }
        for nested in &self.blocks {
            if let Some(Value::List(instances) | Value::Set(instances)) = planned.get_mut(nested.type_name) {
                for instance in instances.iter_mut() {
                    *instance = nested.block.with_defaults(instance);
                }
            }
        }
        Value::Object(planned)
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

    /// The attributes whose change replaces the object, as the paths PlanResourceChange answers. Terraform
    /// replaces only where the prior and planned values differ, so the list is the same for every plan.
    pub fn requires_replace(&self) -> Vec<AttributePath> {
        self.block
            .attributes
            .iter()
            .filter(|a| a.requires_replace)
            .map(|a| AttributePath::attribute(a.name))
            .collect()
    }

    /// Problems Terraform would report when loading this schema, and declarations the framework cannot carry;
    /// checked by tests so they never reach users.
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
        if attribute.default.is_some() && attribute.presence != Presence::OptionalComputed {
            problems.push(format!(
                "{prefix}{}: a default needs an optional-computed attribute",
                attribute.name
            ));
        }
        if attribute.requires_replace && !prefix.is_empty() {
            problems.push(format!(
                "{prefix}{}: requires_replace is carried for top-level attributes only",
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
        let misdeclared = Schema::new(
            0,
            Block::new("Misdeclared.")
                .attribute(Attribute::optional("plain", Type::Bool, "Plain.").default(Value::Bool(true)))
                .block(NestedBlock::list_max_one(
                    "inner",
                    Block::new("Inner.").attribute(Attribute::required("key", Type::String, "Key.").requires_replace()),
                )),
        );
        assert_eq!(
            misdeclared.problems(),
            [
                "plain: a default needs an optional-computed attribute",
                "inner.key: requires_replace is carried for top-level attributes only"
            ]
        );
    }

    /// Doubles the configured `base`, unknown while it is.
    fn twice_base(config: &Value) -> Value {
        match config.attribute("base") {
            Some(Value::Number(n)) => Value::int(n.to_f64() as i64 * 2),
            _ => Value::unknown(),
        }
    }

    fn with_defaults_example() -> Schema {
        Schema::new(
            0,
            Block::new("Defaults.")
                .attribute(Attribute::required("name", Type::String, "Name.").requires_replace())
                .attribute(Attribute::optional("base", Type::Number, "Base."))
                .attribute(
                    Attribute::optional_computed("double", Type::Number, "Twice the base.").default_from(twice_base),
                )
                .attribute(Attribute::optional_computed("flag", Type::Bool, "Flag.").default(Value::Bool(true)))
                .attribute(Attribute::computed("id", Type::String, "Id."))
                .block(NestedBlock::list_max_one(
                    "unit",
                    Block::new("Unit.")
                        .attribute(Attribute::optional_computed("of", Type::String, "Of.").default(Value::string("s"))),
                )),
        )
    }

    fn object(pairs: &[(&str, Value)]) -> Value {
        Value::Object(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn defaults_fill_only_nulls_here_and_in_nested_blocks() {
        let schema = with_defaults_example();
        assert!(schema.problems().is_empty());
        let config = object(&[
            ("name", Value::string("a")),
            ("base", Value::int(4)),
            ("double", Value::Null),
            ("flag", Value::Bool(false)),
            ("id", Value::Null),
            ("unit", Value::List(vec![object(&[("of", Value::Null)])])),
        ]);
        let planned = schema.block.with_defaults(&config);
        assert_eq!(planned.attribute("double"), Some(&Value::int(8)));
        assert_eq!(
            planned.attribute("flag"),
            Some(&Value::Bool(false)),
            "configured values stay"
        );
        assert_eq!(
            planned.attribute("id"),
            Some(&Value::Null),
            "computed-only attributes are the resource's"
        );
        let unit = &planned.attribute("unit").unwrap().as_elements().unwrap()[0];
        assert_eq!(unit.attribute("of"), Some(&Value::string("s")));
        let unknown_base = object(&[("base", Value::unknown()), ("double", Value::Null)]);
        assert!(
            schema
                .block
                .with_defaults(&unknown_base)
                .attribute("double")
                .unwrap()
                .is_unknown()
        );
        assert!(schema.block.with_defaults(&Value::unknown()).is_unknown());
    }

    #[test]
    fn replacement_paths_and_computed_attributes_come_from_the_declarations() {
        let schema = with_defaults_example();
        assert_eq!(schema.requires_replace(), [AttributePath::attribute("name")]);
        assert_eq!(schema.block.computed_only().collect::<Vec<_>>(), ["id"]);
        assert_eq!(
            schema.block.default_of("flag").and_then(DefaultValue::fixed),
            Some(&Value::Bool(true))
        );
        assert_eq!(schema.block.default_of("double").and_then(DefaultValue::fixed), None);
    }
}
