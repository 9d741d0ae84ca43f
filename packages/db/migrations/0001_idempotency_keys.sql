ALTER TABLE "receipts" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "duplicate_of" uuid;--> statement-breakpoint
CREATE INDEX "receipts_buyer_idempotency_key_idx" ON "receipts" USING btree ("buyer_id","idempotency_key") WHERE "receipts"."idempotency_key" is not null;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_duplicate_failed" CHECK ("receipts"."duplicate_of" is null or ("receipts"."status" = 'FAILED' and "receipts"."failure_reason" = 'DUPLICATE_REQUEST'));