//! `$util` functions: escapeJavaScript, urlEncode/urlDecode, base64Encode/base64Decode, parseJson.
