//! User pool IDs: their syntax, and the Region they name.
//!
//! A user pool ID begins with its pool's Region (`eu-west-1_AbCdEfGhI`), and Cognito answers for the pools of one
//! Region only. A pool of another Region looks like a pool that does not exist, and a client in it like a client
//! deleted outside Terraform. So the Region is compared before any call (the API stack) and at plan (the
//! resources), and a mismatch is an error that names both Regions, never a "not found".

/// A user pool ID whose Region differs from the one the provider talks to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "user pool {user_pool_id} is in the Region {pool_region}, but the provider talks to Cognito in {provider_region}"
)]
pub struct RegionMismatch {
    pub user_pool_id: String,
    pub pool_region: String,
    pub provider_region: String,
}

/// The Region a user pool ID names: the part before its first `_`. `None` for an ID without one (which the
/// resources' validation refuses at plan).
pub fn pool_region(user_pool_id: &str) -> Option<&str> {
    user_pool_id
        .split_once('_')
        .map(|(region, _)| region)
        .filter(|region| !region.is_empty())
}

/// The documented bounds of a user pool ID (API reference, `UserPoolId`: 1 to 55 characters, pattern
/// `[\w-]+_[0-9a-zA-Z]+`).
pub const MAX_CHARACTERS: usize = 55;

/// What is wrong with a user pool ID's syntax, for a plan-time error; `Ok` when it has the documented form.
pub fn check_syntax(user_pool_id: &str) -> Result<(), String> {
    let length = user_pool_id.chars().count();
    if length == 0 {
        return Err("The user pool ID is empty.".to_string());
    }
    if length > MAX_CHARACTERS {
        return Err(format!(
            "The user pool ID has {length} characters; Cognito's have at most {MAX_CHARACTERS}."
        ));
    }
    let well_formed = user_pool_id.rsplit_once('_').is_some_and(|(region, suffix)| {
        !region.is_empty()
            && region.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            && !suffix.is_empty()
            && suffix.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if !well_formed {
        return Err(format!(
            "{user_pool_id:?} is not a user pool ID. One looks like `eu-west-1_AbCdEfGhI`: the pool's Region, `_`, \
             and letters and digits."
        ));
    }
    Ok(())
}

/// `Ok` when `user_pool_id` belongs to `provider_region`, or names no Region at all (then Cognito judges it).
pub fn check_region(provider_region: &str, user_pool_id: &str) -> Result<(), RegionMismatch> {
    match pool_region(user_pool_id) {
        Some(pool_region) if pool_region != provider_region => Err(RegionMismatch {
            user_pool_id: user_pool_id.to_string(),
            pool_region: pool_region.to_string(),
            provider_region: provider_region.to_string(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_is_the_prefix_of_the_pool_id() {
        assert_eq!(pool_region("eu-west-1_AbCdEfGhI"), Some("eu-west-1"));
        assert_eq!(pool_region("us-gov-west-1_x_y"), Some("us-gov-west-1"));
        assert_eq!(pool_region("nounderscore"), None);
        assert_eq!(pool_region("_x"), None);
    }

    #[test]
    fn syntax_as_documented() {
        for valid in ["us-east-1_AbCdEfGhI", "eu-west-1_a", "a_1", "x_y_Z9"] {
            assert_eq!(check_syntax(valid), Ok(()), "{valid}");
        }
        for invalid in [
            "",
            "nounderscore",
            "us-east-1_",
            "_abc",
            "us-east-1_ab-c",
            "us east-1_abc",
            "eu-west-1_ü",
        ] {
            assert!(check_syntax(invalid).is_err(), "{invalid:?}");
        }
        assert!(check_syntax(&format!("us-east-1_{}", "a".repeat(50))).is_err());
    }

    #[test]
    fn a_pool_of_another_region_is_a_mismatch_naming_both() {
        assert_eq!(check_region("us-east-1", "us-east-1_abc"), Ok(()));
        assert_eq!(check_region("us-east-1", "malformed"), Ok(()));
        let mismatch = check_region("us-east-1", "eu-west-1_abc").unwrap_err();
        let text = mismatch.to_string();
        assert!(
            text.contains("eu-west-1") && text.contains("us-east-1") && text.contains("eu-west-1_abc"),
            "{text}"
        );
    }
}
