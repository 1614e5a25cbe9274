#!/bin/sh
# The pets Lambda function for the vtl serve end-to-end tests: the invocation payload on
# stdin, the result on stdout.
payload=$(cat)
case "$payload" in
  *'"id": "1"'*) echo '{"id": "1", "name": "Rex", "species": "dog", "adoptable": true}' ;;
  *'"id": "abc"'*) echo '{"errorMessage": "{\"errorType\":\"ValidationError\",\"httpStatus\":400,\"message\":\"id must be a number\",\"field\":\"id\"}"}' ;;
  *'"id": "crash"'*) echo 'segmentation fault' >&2; exit 3 ;;
  *) echo '{"errorMessage": "Pet 99 not found", "errorType": "NotFoundError"}' ;;
esac
