#!/usr/bin/env python3
"""A TOKEN Lambda authorizer: reads the event on stdin, prints the result on stdout.

"Bearer allow-<user>" is allowed on every method of the API, "Bearer deny-<user>" is denied,
anything else is refused with Unauthorized (401).
"""
import json
import sys

event = json.load(sys.stdin)
token = event["authorizationToken"].removeprefix("Bearer ")
verdict, _, user = token.partition("-")
if verdict not in ("allow", "deny") or not user:
    print("Unauthorized")
    sys.exit(1)
# arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH -> every method of the API and stage
arn = event["methodArn"].split("/")
resource = "/".join(arn[:2]) + "/*"
print(json.dumps({
    "principalId": user,
    "policyDocument": {
        "Version": "2012-10-17",
        "Statement": [{"Action": "execute-api:Invoke", "Effect": verdict.capitalize(),
                       "Resource": resource}],
    },
    "context": {"plan": "gold" if user == "ana" else "basic", "verified": True},
}))
