//! Media types and binary payloads: the MIME part of `Content-Type`/`Accept`, whether a
//! payload is binary (`binaryMediaTypes`), and `contentHandling` conversions on the request
//! and response sides (api-gateway-payload-encodings-workflow).

use base64::Engine as _;

use crate::gateway_response::GatewayResponse;
use crate::model::{ContentHandling, MappingTemplate};

/// [OPEN] Whether media types compare without regard to case. MIME types are case-insensitive
/// by RFC 2045, and clients send both `application/JSON` and `application/json`; AWS's
/// behaviour is unrecorded. Chosen: case-insensitive.
pub(crate) const MIME_CASE_INSENSITIVE: bool = true;

/// [OPEN] Whether `*/*` in `binaryMediaTypes` matches every type. The AWS docs say it does;
/// LocalStack treats it as a literal. Chosen: the docs.
pub(crate) const BINARY_WILDCARD_MATCHES_ALL: bool = true;

/// The MIME type of a `Content-Type` or of one `Accept` entry: parameters (`; charset=…`) and
/// surrounding space removed (lowercased: media types compare without regard to case).
pub fn mime_type(header: &str) -> String {
    let t = header.split(';').next().unwrap_or("").trim();
    if MIME_CASE_INSENSITIVE {
        t.to_ascii_lowercase()
    } else {
        t.to_string()
    }
}

/// Two media types are the same (after [`mime_type`]).
pub fn same_type(a: &str, b: &str) -> bool {
    let (a, b) = (mime_type(a), mime_type(b));
    a == b
}

/// The first media type of an `Accept` header (`text/html, application/json;q=0.9` →
/// `text/html`), or `None` when the header is absent or empty.
pub fn first_accept(accept: Option<&str>) -> Option<String> {
    let first = accept?.split(',').next().map(mime_type)?;
    (!first.is_empty()).then_some(first)
}

/// The response `Content-Type` when nothing sets one [DOC known issues].
pub(crate) const DEFAULT_RESPONSE_TYPE: &str = "application/json";

/// The response template an integration response uses: the one for the first `Accept` media
/// type, else `application/json`, else the first.
pub fn response_template<'t>(
    templates: &'t [MappingTemplate],
    accept: Option<&str>,
) -> Option<&'t MappingTemplate> {
    let wanted = first_accept(accept).unwrap_or_else(|| DEFAULT_RESPONSE_TYPE.to_string());
    templates
        .iter()
        .find(|t| same_type(&t.content_type, &wanted))
        .or_else(|| {
            templates
                .iter()
                .find(|t| same_type(&t.content_type, DEFAULT_RESPONSE_TYPE))
        })
        .or_else(|| templates.first())
}

/// Whether `content_type` is one of `binary_types` (`image/*` matches `image/png`; `*/*`
/// matches everything, as the AWS docs say).
pub fn is_binary(content_type: Option<&str>, binary_types: &[String]) -> bool {
    let Some(ct) = content_type.map(mime_type).filter(|t| !t.is_empty()) else {
        return false;
    };
    let (ty, _) = ct.split_once('/').unwrap_or((&ct, ""));
    binary_types.iter().any(|b| {
        let b = mime_type(b);
        if b == "*/*" {
            return BINARY_WILDCARD_MATCHES_ALL;
        }
        match b.split_once('/') {
            Some((bt, "*")) => bt == ty,
            _ => b == ct,
        }
    })
}

fn decode_base64(body: &[u8]) -> Option<Vec<u8>> {
    let text: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

fn encode_base64(body: &[u8]) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .encode(body)
        .into_bytes()
}

/// A payload after conversion, and whether it is binary now.
pub(crate) struct Converted {
    pub body: Vec<u8>,
    pub binary: bool,
}

/// The request side: a binary payload (by `Content-Type`) is base64-encoded by
/// `CONVERT_TO_TEXT`; a text payload is base64-decoded by `CONVERT_TO_BINARY` (500 when it is
/// not base64); otherwise the payload passes unchanged.
pub(crate) fn convert_request(
    body: &[u8],
    binary: bool,
    handling: Option<ContentHandling>,
) -> Result<Converted, GatewayResponse> {
    match (binary, handling) {
        (true, Some(ContentHandling::ConvertToText)) => Ok(Converted {
            body: encode_base64(body),
            binary: false,
        }),
        (false, Some(ContentHandling::ConvertToBinary)) => match decode_base64(body) {
            Some(b) => Ok(Converted {
                body: b,
                binary: true,
            }),
            None => Err(GatewayResponse::configuration(
                crate::integration_request::TRANSFORM_REQUEST_FAILED,
            )),
        },
        _ => Ok(Converted {
            body: body.to_vec(),
            binary,
        }),
    }
}

/// The response side, as LocalStack reproduces AWS's table (checked against AWS): a binary
/// payload becomes base64 text with `CONVERT_TO_TEXT`, or without `contentHandling` when the
/// client does not accept a binary type; a text payload is base64-decoded with
/// `CONVERT_TO_BINARY`, or without `contentHandling` when the client accepts a binary type.
pub(crate) fn convert_response(
    body: &[u8],
    payload_binary: bool,
    accept_binary: bool,
    handling: Option<ContentHandling>,
) -> Result<Converted, GatewayResponse> {
    if payload_binary {
        let to_text = match handling {
            Some(h) => h == ContentHandling::ConvertToText,
            None => !accept_binary,
        };
        return Ok(if to_text {
            Converted {
                body: encode_base64(body),
                binary: false,
            }
        } else {
            Converted {
                body: body.to_vec(),
                binary: true,
            }
        });
    }
    let to_binary = match handling {
        Some(h) => h == ContentHandling::ConvertToBinary,
        None => accept_binary,
    };
    if to_binary {
        match decode_base64(body) {
            Some(b) => Ok(Converted {
                body: b,
                binary: true,
            }),
            None => Err(GatewayResponse::configuration(
                crate::integration_response::TRANSFORM_RESPONSE_FAILED,
            )),
        }
    } else {
        Ok(Converted {
            body: body.to_vec(),
            binary: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_ignored() {
        assert_eq!(
            mime_type("application/json; charset=UTF-8"),
            "application/json"
        );
        assert_eq!(mime_type(" Application/JSON "), "application/json");
        assert_eq!(
            first_accept(Some("application/xml;q=0.9, application/json")),
            Some("application/xml".into())
        );
        assert_eq!(first_accept(Some("")), None);
        assert_eq!(first_accept(None), None);
    }

    #[test]
    fn binary_media_types_match() {
        let types = vec![
            "image/*".to_string(),
            "application/octet-stream".to_string(),
        ];
        assert!(is_binary(Some("image/png"), &types));
        assert!(is_binary(Some("application/octet-stream; x=1"), &types));
        assert!(!is_binary(Some("application/json"), &types));
        assert!(!is_binary(None, &types));
        assert_eq!(
            is_binary(Some("text/plain"), &["*/*".to_string()]),
            BINARY_WILDCARD_MATCHES_ALL
        );
    }

    #[test]
    fn request_conversions() {
        let c = convert_request(b"\x00\x01", true, Some(ContentHandling::ConvertToText)).unwrap();
        assert_eq!((c.body.as_slice(), c.binary), (&b"AAE="[..], false));
        let c = convert_request(b"AAE=", false, Some(ContentHandling::ConvertToBinary)).unwrap();
        assert_eq!((c.body.as_slice(), c.binary), (&b"\x00\x01"[..], true));
        let e = convert_request(
            b"not base64!",
            false,
            Some(ContentHandling::ConvertToBinary),
        );
        assert_eq!(e.err().map(|g| g.status()), Some(500));
        let c = convert_request(b"x", false, None).unwrap();
        assert_eq!((c.body.as_slice(), c.binary), (&b"x"[..], false));
    }

    #[test]
    fn response_table() {
        // binary payload, text Accept, no handling: base64 text
        let c = convert_response(b"\x00", true, false, None).unwrap();
        assert_eq!((c.body.as_slice(), c.binary), (&b"AA=="[..], false));
        // binary payload, binary Accept: unchanged
        let c = convert_response(b"\x00", true, true, None).unwrap();
        assert!(c.binary);
        // binary payload, CONVERT_TO_TEXT even with binary Accept
        let c =
            convert_response(b"\x00", true, true, Some(ContentHandling::ConvertToText)).unwrap();
        assert!(!c.binary);
        // text payload, binary Accept: decoded
        let c = convert_response(b"AA==", false, true, None).unwrap();
        assert_eq!((c.body.as_slice(), c.binary), (&b"\x00"[..], true));
        // text payload, CONVERT_TO_BINARY, undecodable: 500
        let e = convert_response(b"??", false, false, Some(ContentHandling::ConvertToBinary));
        assert_eq!(e.err().map(|g| g.status()), Some(500));
        // text payload, text Accept: unchanged
        let c = convert_response(b"hi", false, false, None).unwrap();
        assert_eq!(c.body, b"hi");
    }
}
