#!/bin/sh
# One-shot setup of the object store (compose service `minio-init`, image minio/mc).
# Idempotent: safe on every `docker compose up`.
#   - the bucket S3_BUCKET exists and is private (no anonymous access);
#   - the application's own key S3_ACCESS_KEY_ID exists, limited to that bucket, so the API
#     and workers never hold MinIO's root credentials.
set -eu

: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${S3_BUCKET:?}"
: "${S3_ACCESS_KEY_ID:?}" "${S3_SECRET_ACCESS_KEY:?}"
endpoint="${MINIO_ENDPOINT:-http://minio:9000}"
policy=mediahub-app

mc alias set store "$endpoint" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null

mc mb --ignore-existing "store/$S3_BUCKET"
mc anonymous set none "store/$S3_BUCKET"

policy_file="$(mktemp)"
cat > "$policy_file" <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      "Resource": ["arn:aws:s3:::$S3_BUCKET"]
    },
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                 "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      "Resource": ["arn:aws:s3:::$S3_BUCKET/*"]
    }
  ]
}
EOF
mc admin policy create store "$policy" "$policy_file"
rm -f "$policy_file"

# Creates the user, or sets the secret again if it changed in .env.
mc admin user add store "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY"
# Match the PolicyName line only: the key's own name may contain the policy's name.
attached="$(mc admin user info store "$S3_ACCESS_KEY_ID" | sed -n 's/^PolicyName: *//p' | tr ',' '\n' | tr -d ' ')"
if ! printf '%s\n' "$attached" | grep -qx "$policy"; then
    mc admin policy attach store "$policy" --user "$S3_ACCESS_KEY_ID"
fi

echo "minio-init: bucket '$S3_BUCKET' is private; key '$S3_ACCESS_KEY_ID' may use only that bucket"
