ALTER TABLE "points_ledger" DROP CONSTRAINT "points_ledger_kind_known";--> statement-breakpoint
ALTER TABLE "receipts" DROP CONSTRAINT "receipts_status_known";--> statement-breakpoint
ALTER TABLE "auctions" ALTER COLUMN "drop_kind" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ALTER COLUMN "drop_value" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ALTER COLUMN "drop_interval_seconds" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ALTER COLUMN "price_steps" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "format" text DEFAULT 'dutch' NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "pricing" text DEFAULT 'pay_as_bid' NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "closed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "clearing_price" integer;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "min_increment" integer;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "reserve_price" integer;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "extend_seconds" integer;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "high_bid" integer;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "bid_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "leader_id" uuid;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "leading_receipt_id" uuid;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "winner_id" uuid;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "final_price" integer;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "held_points" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "format" text DEFAULT 'dutch' NOT NULL;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "rebate" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "final_unit_price" integer;--> statement-breakpoint
CREATE INDEX "auctions_unclosed_idx" ON "auctions" USING btree ("ends_at") WHERE "auctions"."closed_at" is null and "auctions"."deleted_at" is null;--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_format_known" CHECK ("auctions"."format" in ('dutch', 'english'));--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_pricing_known" CHECK ("auctions"."pricing" in ('pay_as_bid', 'uniform'));--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_pricing_dutch_only" CHECK ("auctions"."format" = 'dutch' or "auctions"."pricing" = 'pay_as_bid');--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_dutch_columns" CHECK (("auctions"."format" = 'dutch') = ("auctions"."drop_kind" is not null)
        and ("auctions"."format" = 'dutch') = ("auctions"."drop_value" is not null)
        and ("auctions"."format" = 'dutch') = ("auctions"."drop_interval_seconds" is not null)
        and ("auctions"."format" = 'dutch') = ("auctions"."price_steps" is not null));--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_english_columns" CHECK (("auctions"."format" = 'english') = ("auctions"."min_increment" is not null)
        and ("auctions"."format" = 'english') = ("auctions"."extend_seconds" is not null));--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_english_one_lot" CHECK ("auctions"."format" = 'dutch' or ("auctions"."initial_stock" = 1 and "auctions"."stock" = 1 and "auctions"."per_buyer_limit" = 1));--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_clearing_price_dutch_only" CHECK ("auctions"."format" = 'dutch' or "auctions"."clearing_price" is null);--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_english_lead" CHECK (("auctions"."high_bid" is null) = ("auctions"."leader_id" is null) and ("auctions"."leader_id" is null) = ("auctions"."leading_receipt_id" is null)
        and ("auctions"."winner_id" is null) = ("auctions"."final_price" is null)
        and ("auctions"."format" = 'english' or ("auctions"."high_bid" is null and "auctions"."bid_count" = 0 and "auctions"."winner_id" is null)));--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_held_points_non_negative" CHECK ("members"."held_points" >= 0);--> statement-breakpoint
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_hold_own" CHECK ("points_ledger"."kind" not in ('hold', 'release') or "points_ledger"."from_member" = "points_ledger"."to_member");--> statement-breakpoint
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_kind_known" CHECK ("points_ledger"."kind" in ('charge', 'purchase', 'refund', 'hold', 'release', 'rebate'));--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_format_known" CHECK ("receipts"."format" in ('dutch', 'english'));--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_english_statuses" CHECK (not ("receipts"."status" in ('LEADING', 'OUTBID', 'WON', 'RESERVE_NOT_MET')) or "receipts"."format" = 'english');--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_english_one_lot" CHECK ("receipts"."format" = 'dutch' or "receipts"."quantity" = 1);--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_rebate" CHECK ("receipts"."rebate" >= 0 and ("receipts"."final_unit_price" is null or "receipts"."rebate" = ("receipts"."unit_price" - "receipts"."final_unit_price")::bigint * "receipts"."quantity"));--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_status_known" CHECK ("receipts"."status" in ('PURCHASED', 'FAILED', 'REFUND_PENDING', 'REFUNDED', 'LEADING', 'OUTBID', 'WON', 'RESERVE_NOT_MET'));