//! Everything about Cognito app clients. Knows nothing of gRPC or msgpack: it works on `tf::Value`s and the
//! AWS SDK.

pub mod model;

use std::sync::Arc;

use crate::provider::AwsClients;
use crate::tf::resource::{DataSource, Resource};

/// The managed resources this provider serves.
pub fn resources(_clients: &AwsClients) -> Vec<Arc<dyn Resource>> {
    Vec::new()
}

/// The data sources this provider serves.
pub fn data_sources(_clients: &AwsClients) -> Vec<Arc<dyn DataSource>> {
    Vec::new()
}
