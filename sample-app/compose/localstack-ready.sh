#!/bin/sh
# Run by LocalStack once it is ready (compose.yaml mounts it into /etc/localstack/init/ready.d).
awslocal s3 mb s3://sample
