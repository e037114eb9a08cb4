//! The types a provider serves, by name, and what the framework needs of each of them for validation.

use std::collections::HashMap;
use std::sync::Arc;

use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::resource::{DataSource, EphemeralResource, Provider, Resource};
use crate::tf::schema::Schema;
use crate::tf::value::Value;

/// What every configurable thing offers the framework: its schema and its static checks.
pub trait Served: Send + Sync {
    fn schema(&self) -> &Schema;

    fn validate(&self, config: &Value) -> Diagnostics;
}

macro_rules! served {
    ($($kind:ident),*) => {$(
        impl Served for Arc<dyn $kind> {
            fn schema(&self) -> &Schema {
                $kind::schema(self.as_ref())
            }

            fn validate(&self, config: &Value) -> Diagnostics {
                $kind::validate(self.as_ref(), config)
            }
        }
    )*};
}

served!(Provider, Resource, DataSource, EphemeralResource);

/// One kind of type (resources, data sources or ephemeral resources) by type name.
pub struct Registry<T: ?Sized> {
    entries: HashMap<&'static str, Arc<T>>,
    /// How an unknown name is reported: a summary and the noun, e.g. "Unknown data source" / "data source".
    unknown: &'static str,
    noun: &'static str,
}

impl<T: ?Sized> Registry<T> {
    pub fn new(
        entries: impl IntoIterator<Item = Arc<T>>,
        type_name: impl Fn(&T) -> &'static str,
        unknown: &'static str,
        noun: &'static str,
    ) -> Registry<T> {
        Registry {
            entries: entries.into_iter().map(|entry| (type_name(&entry), entry)).collect(),
            unknown,
            noun,
        }
    }

    /// The type called `name`, or the diagnostic saying this provider has none.
    pub fn get(&self, name: &str) -> Result<&Arc<T>, Diagnostics> {
        self.entries.get(name).ok_or_else(|| {
            Diagnostic::error(self.unknown, format!("This provider has no {} {name:?}.", self.noun)).into()
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Arc<T>)> {
        self.entries.iter().map(|(name, entry)| (*name, entry))
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        self.entries.keys().copied()
    }
}
