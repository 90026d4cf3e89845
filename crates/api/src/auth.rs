//! Bearer tokens: JWTs signed with HMAC-SHA-256, carrying the caller's role, actor id and, for
//! an applicant, the cases they may reach. A missing, malformed, expired or forged token is a
//! 401 that says which.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use retur_app::Caller;
use retur_domain::{Actor, ActorId, CaseId, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ApiState;
use crate::error::ApiError;

/// The keys tokens are signed and checked with.
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.write_str("Keys(HS256)")
    }
}

impl Keys {
    /// Keys from a shared secret (at least 32 bytes).
    pub fn from_secret(secret: &[u8]) -> Result<Keys, String> {
        if secret.len() < 32 {
            return Err(format!(
                "the token secret is {} bytes; it must be at least 32",
                secret.len()
            ));
        }
        Ok(Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        })
    }

    /// A signed token for these claims.
    pub fn issue(&self, claims: &TokenClaims) -> Result<String, String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| e.to_string())
    }

    /// The caller a token names, or why it names nobody. The API's bearer tokens and the web
    /// pages' session cookie are checked here alike.
    pub fn caller(&self, token: &str) -> Result<Caller, ApiError> {
        let claims = self.check(token)?;
        let role: Role = claims.role.parse().map_err(|_| {
            ApiError::Unauthorized(format!("the token's role {:?} is unknown", claims.role))
        })?;
        let id = ActorId::parse(&claims.sub)
            .map_err(|e| ApiError::Unauthorized(format!("the token's subject: {e}")))?;
        let actor = Actor::new(role, id);
        Ok(if role == Role::Applicant {
            Caller::applicant(actor, claims.cases.into_iter().map(CaseId::from_uuid))
        } else {
            Caller::agency(actor)
        })
    }

    /// The claims of a good token: its signature, expiry, start and subject checked. Times are
    /// the real time, whatever clock the case system runs on: a token is a credential, and a
    /// clock set by hand for training must not lengthen its life. No leeway is given: a token
    /// is refused from the second its `exp` is reached (RFC 7519 § 4.1.4: the time must be
    /// before it), and before its `nbf` (§ 4.1.5).
    pub fn check(&self, token: &str) -> Result<TokenClaims, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        validation.leeway = 0;
        validation.validate_nbf = true;
        let claims = jsonwebtoken::decode::<TokenClaims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|error| {
                use jsonwebtoken::errors::ErrorKind;
                let reason = match error.kind() {
                    ErrorKind::ExpiredSignature => "the token has expired",
                    ErrorKind::ImmatureSignature => {
                        "the token is not valid yet: its nbf (not before) is still to come"
                    }
                    ErrorKind::InvalidSignature => {
                        "the token's signature does not match: it was not issued by this server"
                    }
                    ErrorKind::InvalidAlgorithm => {
                        "the token is signed with another algorithm than HS256"
                    }
                    _ => "the token is malformed",
                };
                ApiError::Unauthorized(reason.to_owned())
            })?;
        // jsonwebtoken still accepts a token in the very second its `exp` names.
        if claims.exp <= chrono::Utc::now().timestamp() {
            return Err(ApiError::Unauthorized("the token has expired".to_owned()));
        }
        Ok(claims)
    }
}

/// What a token says about its bearer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenClaims {
    /// The actor id.
    pub sub: String,
    pub role: String,
    /// For an applicant: the cases they may reach.
    #[serde(default)]
    pub cases: Vec<Uuid>,
    /// Expiry, in seconds since the epoch.
    pub exp: i64,
    /// Not valid before this, in seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
}

/// The authenticated caller of a request.
pub(crate) struct Authenticated(pub(crate) Caller);

impl FromRequestParts<std::sync::Arc<ApiState>> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &std::sync::Arc<ApiState>,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    "no Authorization header: send `Authorization: Bearer <token>`".into(),
                )
            })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(|| {
                ApiError::Unauthorized("the Authorization header is not `Bearer <token>`".into())
            })?;
        let caller = state.keys.caller(token.trim())?;
        Ok(Authenticated(caller))
    }
}
