#!/bin/sh
# A REQUEST Lambda authorizer: the event (headers, query string, path, stage variables,
# requestContext) on stdin, the result on stdout. Tenants "acme" and "globex" with the
# session "s3cr3t" are allowed on GET /reports/*; anything else is Unauthorized.
event=$(cat)
tenant=$(printf '%s' "$event" | sed -n 's/.*"X-Tenant": *"\([^"]*\)".*/\1/p')
session=$(printf '%s' "$event" | sed -n 's/.*"session": *"\([^"]*\)".*/\1/p')
arn=$(printf '%s' "$event" | sed -n 's/.*"methodArn": *"\([^"]*\)".*/\1/p')
case "$tenant:$session" in
  acme:s3cr3t | globex:s3cr3t) ;;
  *) echo Unauthorized; exit 1 ;;
esac
api=${arn%%/*}
cat <<JSON
{"principalId": "tenant-$tenant",
 "policyDocument": {"Version": "2012-10-17", "Statement": [
   {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "$api/*/GET/reports/*"}]},
 "context": {"tenant": "$tenant"}}
JSON
