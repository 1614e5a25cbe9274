//! Routing: a request's method and path to a resource (`/pets/{id}`, greedy `{proxy+}`) and
//! method (`ANY` as the fallback), with the path parameters filled in.

use crate::exchange::{percent_decode, Pairs};
use crate::model::Resource;

/// The chosen resource and method (indices into the spec) and the path parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Route {
    pub resource: usize,
    pub method: usize,
    pub path_params: Pairs,
}

/// How specific a resource segment is: literals beat `{p}`, which beats `{p+}`.
fn rank(seg: &str) -> u8 {
    if seg.ends_with("+}") {
        2
    } else if seg.starts_with('{') {
        1
    } else {
        0
    }
}

fn segments(path: &str) -> Vec<&str> {
    let trimmed = path.trim_start_matches('/');
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    }
}

/// Matches `path` against one resource path template; the path parameters on success.
pub(crate) fn match_path(template: &str, path: &str) -> Option<Pairs> {
    let t = segments(template);
    let p = segments(path);
    let mut params = Vec::new();
    for (i, seg) in t.iter().enumerate() {
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
            if i + 1 != t.len() || p.len() <= i {
                return None;
            }
            params.push((name.to_string(), percent_decode(&p[i..].join("/"), false)));
            return Some(params);
        }
        let actual = p.get(i)?;
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if actual.is_empty() {
                return None;
            }
            params.push((name.to_string(), percent_decode(actual, false)));
        } else if seg != actual {
            return None;
        }
    }
    (t.len() == p.len()).then_some(params)
}

/// The most specific resource that has `http_method` (or `ANY`) and matches `path`.
pub(crate) fn route(resources: &[Resource], http_method: &str, path: &str) -> Option<Route> {
    let mut best: Option<(Vec<u8>, Route)> = None;
    for (ri, r) in resources.iter().enumerate() {
        let method = r
            .methods
            .iter()
            .position(|m| m.http_method.eq_ignore_ascii_case(http_method))
            .or_else(|| r.methods.iter().position(|m| m.http_method == "ANY"));
        let Some(mi) = method else { continue };
        let Some(params) = match_path(&r.path, path) else {
            continue;
        };
        let score: Vec<u8> = segments(&r.path).into_iter().map(rank).collect();
        let better = match &best {
            None => true,
            Some((s, _)) => score < *s,
        };
        if better {
            best = Some((
                score,
                Route {
                    resource: ri,
                    method: mi,
                    path_params: params,
                },
            ));
        }
    }
    best.map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Method;

    fn res(path: &str, methods: &[&str]) -> Resource {
        Resource {
            path: path.into(),
            methods: methods
                .iter()
                .map(|m| Method {
                    http_method: m.to_string(),
                    parameters: vec![],
                    has_body_model: false,
                    validator: None,
                    request_models: vec![],
                    security: Default::default(),
                    integration: None,
                    responses: vec![],
                    pointer: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn path_parameters_are_filled() {
        assert_eq!(
            match_path("/pets/{id}", "/pets/a%20b"),
            Some(vec![("id".into(), "a b".into())])
        );
        assert_eq!(match_path("/pets/{id}", "/pets"), None);
        assert_eq!(match_path("/pets/{id}", "/pets/1/x"), None);
        assert_eq!(
            match_path("/files/{proxy+}", "/files/a/b/c"),
            Some(vec![("proxy".into(), "a/b/c".into())])
        );
        assert_eq!(match_path("/files/{proxy+}", "/files"), None);
        assert_eq!(match_path("/", "/"), Some(vec![]));
    }

    #[test]
    fn the_most_specific_resource_wins() {
        let rs = vec![
            res("/{proxy+}", &["ANY"]),
            res("/pets/{id}", &["GET"]),
            res("/pets/mine", &["GET"]),
        ];
        let r = route(&rs, "GET", "/pets/mine").unwrap();
        assert_eq!(r.resource, 2);
        let r = route(&rs, "GET", "/pets/7").unwrap();
        assert_eq!((r.resource, r.path_params[0].1.as_str()), (1, "7"));
        let r = route(&rs, "DELETE", "/pets/7").unwrap();
        assert_eq!(r.resource, 0);
        assert_eq!(r.path_params, vec![("proxy".into(), "pets/7".into())]);
    }

    #[test]
    fn any_is_the_fallback_method() {
        let rs = vec![res("/a", &["ANY", "POST"])];
        assert_eq!(route(&rs, "POST", "/a").unwrap().method, 1);
        assert_eq!(route(&rs, "get", "/a").unwrap().method, 0);
        assert!(route(&[res("/a", &["GET"])], "POST", "/a").is_none());
    }
}
