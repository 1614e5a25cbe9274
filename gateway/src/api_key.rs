//! API keys: a method with `apiKeyRequired` (or an `api_key` security scheme) needs a key the
//! API accepts, read from the `x-api-key` header or the authorizer's `usageIdentifierKey`
//! (`x-amazon-apigateway-api-key-source`); a missing or unknown key gives 403 `Forbidden`
//! (`INVALID_API_KEY`).

use serde_json::{Map, Value as Json};

use crate::gateway_response::{GatewayResponse, GatewayResponseType};
use crate::Run;

/// Checks `key` against the accepted keys; on success `$context.identity.apiKey` (and
/// `apiKeyId`) carry it.
pub(crate) fn check(run: &mut Run<'_>, key: Option<&str>) -> Result<(), GatewayResponse> {
    let accepted = &run.api.options.front.api_keys;
    let Some(key) = key.filter(|k| accepted.iter().any(|a| a == k)) else {
        let line = match key {
            None => "API Key not provided".to_string(),
            Some(k) => format!("API Key {} not authorized", masked(k)),
        };
        return Err(GatewayResponse::new(GatewayResponseType::InvalidApiKey).logged(line));
    };
    run.log.line(format!("API Key {} authorized", masked(key)));
    let entry = run
        .context
        .entry("identity")
        .or_insert_with(|| Json::Object(Map::new()));
    if let Json::Object(m) = entry {
        m.insert("apiKey".into(), Json::from(key));
        m.insert("apiKeyId".into(), Json::from(key_id(key)));
    }
    Ok(())
}

/// A key as logs show it: all but its last four characters hidden.
fn masked(key: &str) -> String {
    let n = key.chars().count();
    let shown: String = key.chars().skip(n.saturating_sub(4)).collect();
    format!("{}{shown}", "*".repeat(n.saturating_sub(4)))
}

/// A stable id for a key (API Gateway gives each key a 10-character id).
fn key_id(key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..10)
        .map(|i| alphabet[((h >> (i * 6)) % 36) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_tail() {
        assert_eq!(masked("abcdefgh"), "****efgh");
        assert_eq!(masked("ab"), "ab");
    }

    #[test]
    fn key_ids_are_stable_and_distinct() {
        assert_eq!(key_id("k1"), key_id("k1"));
        assert_ne!(key_id("k1"), key_id("k2"));
        assert_eq!(key_id("k1").len(), 10);
    }
}
