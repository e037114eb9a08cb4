//! The adoption rules, on plain facts so that they can be read and tested on their own.

/// A client of the requested name that the listing taken just before the request did not hold, as described
/// after the request failed without a verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newcomer {
    pub client_id: String,
    /// Its CreationDate falls outside the request's window (known only once the offset between this machine's
    /// clock and Cognito's has been measured).
    pub outside_window: bool,
    /// Another run on this machine created or adopted it.
    pub claimed_elsewhere: bool,
    /// It has a secret where none was asked for, or the reverse.
    pub secret_differs: bool,
    /// Its configuration is not the one sent, as Cognito reports a configuration.
    pub configuration_differs: bool,
}

impl Newcomer {
    /// Whether it certainly is not the client the request made: made before the request was sent, by another
    /// run, or with the other kind of secret.
    fn certainly_not_ours(&self) -> bool {
        self.outside_window || self.claimed_elsewhere || self.secret_differs
    }
}

/// What to do after a create that may have made a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Exactly one client can be the one the request made, and it has exactly the requested configuration.
    Adopt(String),
    /// Nothing the request can have made exists: Cognito did not act on it, and sending it again is safe.
    NotCreated,
    /// Another create of this name is under way (in this run or another on this machine): wait for it to finish
    /// and look again.
    Wait,
    /// Clients that may be the one the request made but cannot be told apart, with why.
    Unclear {
        client_ids: Vec<String>,
        reason: &'static str,
    },
}

/// Decides from the `newcomers`, whether the listing before the request was taken at all (`listed_before`), and
/// whether another create of the same name is under way.
pub fn decide(newcomers: &[Newcomer], listed_before: bool, namesake_in_flight: bool) -> Verdict {
    let plausible: Vec<&Newcomer> = newcomers.iter().filter(|found| !found.certainly_not_ours()).collect();
    let unclear = |reason| Verdict::Unclear {
        client_ids: plausible.iter().map(|found| found.client_id.clone()).collect(),
        reason,
    };
    if plausible.is_empty() {
        return Verdict::NotCreated;
    }
    if !listed_before {
        return unclear(
            "the pool's clients could not be listed before the request, so a new client cannot be told from an \
             older one of the same name",
        );
    }
    if namesake_in_flight {
        return Verdict::Wait;
    }
    match plausible.as_slice() {
        [only] if !only.configuration_differs => Verdict::Adopt(only.client_id.clone()),
        [_] => unclear("its configuration is not the one the request sent"),
        _ => unclear("more than one client of this name appeared while the request was under way"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn newcomer(id: &str) -> Newcomer {
        Newcomer {
            client_id: id.to_string(),
            outside_window: false,
            claimed_elsewhere: false,
            secret_differs: false,
            configuration_differs: false,
        }
    }

    #[test]
    fn exactly_one_plausible_client_with_the_configuration_sent_is_adopted() {
        assert_eq!(decide(&[newcomer("a")], true, false), Verdict::Adopt("a".into()));
        let others = [
            newcomer("mine"),
            Newcomer {
                outside_window: true,
                ..newcomer("earlier")
            },
            Newcomer {
                claimed_elsewhere: true,
                ..newcomer("theirs")
            },
            Newcomer {
                secret_differs: true,
                ..newcomer("public")
            },
        ];
        assert_eq!(decide(&others, true, false), Verdict::Adopt("mine".into()));
    }

    #[test]
    fn nothing_plausible_means_the_request_made_nothing() {
        assert_eq!(decide(&[], true, false), Verdict::NotCreated);
        assert_eq!(decide(&[], false, true), Verdict::NotCreated);
        let earlier = Newcomer {
            outside_window: true,
            ..newcomer("earlier")
        };
        assert_eq!(decide(&[earlier], true, true), Verdict::NotCreated);
    }

    #[test]
    fn anything_else_is_unclear_or_waits() {
        let unclear = |verdict| match verdict {
            Verdict::Unclear { client_ids, reason } => (client_ids, reason),
            other => panic!("expected Unclear, got {other:?}"),
        };
        let (ids, reason) = unclear(decide(&[newcomer("a"), newcomer("b")], true, false));
        assert_eq!(ids, ["a", "b"]);
        assert!(reason.contains("more than one"));
        let changed = Newcomer {
            configuration_differs: true,
            ..newcomer("a")
        };
        let (ids, reason) = unclear(decide(&[changed], true, false));
        assert_eq!(ids, ["a"]);
        assert!(reason.contains("configuration"));
        let (_, reason) = unclear(decide(&[newcomer("a")], false, false));
        assert!(reason.contains("could not be listed"));
        assert_eq!(decide(&[newcomer("a")], true, true), Verdict::Wait);
    }
}
