//! Typed ids: an organization's id can never be passed where an authorization's is meant. On the
//! wire each is the UUID as text (checked when it arrives, so a malformed id is a bad request,
//! never a database error); on the server it turns into a `uuid::Uuid` for the query.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an id")]
pub struct InvalidId;

/// Whether `s` is a UUID in its usual text form (36 characters, hex in 8-4-4-4-12 groups).
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident,)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, InvalidId> {
                let s = s.trim().to_ascii_lowercase();
                if is_uuid(&s) { Ok(Self(s)) } else { Err(InvalidId) }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            #[cfg(feature = "ssr")]
            pub fn uuid(&self) -> uuid::Uuid {
                uuid::Uuid::parse_str(&self.0).expect("checked when made")
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        #[cfg(feature = "ssr")]
        impl From<uuid::Uuid> for $name {
            fn from(id: uuid::Uuid) -> Self {
                Self(id.to_string())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

ids! {
    /// An organization.
    OrgId,
    /// An authorization (machtiging).
    AuthorizationId,
    /// A service of the catalog (its ServiceUUID, shared by the providers that offer it).
    ServiceId,
    /// A user (a holder of a login means, or someone invited to become one).
    UserId,
    /// A link request (koppelverzoek).
    LinkRequestId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_uuids_are_ids() {
        let id = OrgId::parse(" 0B6C3F3E-1D2A-4C5B-8E9F-0A1B2C3D4E5F ").unwrap();
        assert_eq!(id.as_str(), "0b6c3f3e-1d2a-4c5b-8e9f-0a1b2c3d4e5f");
        for bad in [
            "",
            "x",
            "0b6c3f3e1d2a4c5b8e9f0a1b2c3d4e5f",
            "0b6c3f3e-1d2a-4c5b-8e9f-0a1b2c3d4e5g",
        ] {
            assert_eq!(OrgId::parse(bad), Err(InvalidId), "{bad}");
        }
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<OrgId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<AuthorizationId>("\"1; DROP TABLE\"").is_err());
    }
}
