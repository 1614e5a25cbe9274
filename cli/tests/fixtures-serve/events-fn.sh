#!/bin/sh
# A Lambda proxy function for the vtl serve end-to-end tests: answers with the event's method
# and body length.
event=$(cat)
printf '{"statusCode": 201, "headers": {"X-Seen": "yes"}, "body": "%s bytes"}' "${#event}"
