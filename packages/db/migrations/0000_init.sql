CREATE TABLE "auctions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seller_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"start_price" integer NOT NULL,
	"floor_price" integer,
	"drop_kind" text NOT NULL,
	"drop_value" integer NOT NULL,
	"drop_interval_seconds" integer NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"initial_stock" integer NOT NULL,
	"stock" integer NOT NULL,
	"sold_count" integer GENERATED ALWAYS AS (initial_stock - stock) STORED NOT NULL,
	"per_buyer_limit" integer NOT NULL,
	"show_stock" boolean DEFAULT true NOT NULL,
	"price_steps" integer[] NOT NULL,
	"settled_count" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "auctions_stock_in_range" CHECK ("auctions"."stock" >= 0 and "auctions"."stock" <= "auctions"."initial_stock"),
	CONSTRAINT "auctions_limit_in_range" CHECK ("auctions"."per_buyer_limit" >= 1 and "auctions"."per_buyer_limit" <= "auctions"."initial_stock"),
	CONSTRAINT "auctions_window" CHECK ("auctions"."ends_at" > "auctions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "member_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"secret_hash" "bytea" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"age" smallint,
	"gender" text,
	"points" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_points_non_negative" CHECK ("members"."points" >= 0),
	CONSTRAINT "members_gender_known" CHECK ("members"."gender" in ('female', 'male', 'other'))
);
--> statement-breakpoint
CREATE TABLE "points_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"from_member" uuid,
	"to_member" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"receipt_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_ledger_amount_positive" CHECK ("points_ledger"."amount" > 0),
	CONSTRAINT "points_ledger_kind_known" CHECK ("points_ledger"."kind" in ('charge', 'purchase', 'refund')),
	CONSTRAINT "points_ledger_shape" CHECK (("points_ledger"."kind" = 'charge') = ("points_ledger"."from_member" is null) and ("points_ledger"."kind" = 'charge') = ("points_ledger"."receipt_id" is null))
);
--> statement-breakpoint
CREATE TABLE "receipts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"auction_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"seller_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" integer NOT NULL,
	"total" bigint NOT NULL,
	"status" text NOT NULL,
	"failure_reason" text,
	"accepted_at" timestamp (3) with time zone NOT NULL,
	"settled_at" timestamp (3) with time zone NOT NULL,
	"refund_requested_at" timestamp (3) with time zone,
	"refunded_at" timestamp (3) with time zone,
	"refund_request_id" uuid,
	"stream_id" text NOT NULL,
	"settle_seq" bigint NOT NULL,
	CONSTRAINT "receipts_auction_settle_seq" UNIQUE("auction_id","settle_seq"),
	CONSTRAINT "receipts_status_known" CHECK ("receipts"."status" in ('PURCHASED', 'FAILED', 'REFUND_PENDING', 'REFUNDED')),
	CONSTRAINT "receipts_quantity_positive" CHECK ("receipts"."quantity" >= 1),
	CONSTRAINT "receipts_total" CHECK ("receipts"."total" = "receipts"."unit_price"::bigint * "receipts"."quantity"),
	CONSTRAINT "receipts_failed_has_reason" CHECK ("receipts"."status" <> 'FAILED' or "receipts"."failure_reason" is not null)
);
--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_seller_id_members_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_tokens" ADD CONSTRAINT "member_tokens_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "auctions_starts_at_idx" ON "auctions" USING btree ("starts_at","id") WHERE "auctions"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "auctions_ends_at_idx" ON "auctions" USING btree ("ends_at") WHERE "auctions"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "auctions_seller_idx" ON "auctions" USING btree ("seller_id");--> statement-breakpoint
CREATE INDEX "member_tokens_member_idx" ON "member_tokens" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_ledger_one_move_per_receipt" ON "points_ledger" USING btree ("receipt_id","kind") WHERE "points_ledger"."receipt_id" is not null;--> statement-breakpoint
CREATE INDEX "receipts_buyer_recent_idx" ON "receipts" USING btree ("buyer_id","accepted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "receipts_seller_recent_idx" ON "receipts" USING btree ("seller_id","accepted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "receipts_auction_buyer_idx" ON "receipts" USING btree ("auction_id","buyer_id");