CREATE TABLE "notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"auction_id" uuid NOT NULL,
	"receipt_id" uuid,
	"data" jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"tx_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp (3) with time zone,
	CONSTRAINT "notifications_member_dedupe_key" UNIQUE("member_id","dedupe_key"),
	CONSTRAINT "notifications_kind_known" CHECK ("notifications"."kind" in ('receipt', 'rebate', 'auction_starting', 'price_alert', 'ending_soon', 'sold'))
);
--> statement-breakpoint
CREATE TABLE "watches" (
	"member_id" uuid NOT NULL,
	"auction_id" uuid NOT NULL,
	"alert_price" integer,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "watches_pkey" PRIMARY KEY("member_id","auction_id"),
	CONSTRAINT "watches_alert_price_positive" CHECK ("watches"."alert_price" >= 1)
);
--> statement-breakpoint
ALTER TABLE "watches" ADD CONSTRAINT "watches_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watches" ADD CONSTRAINT "watches_auction_id_auctions_id_fk" FOREIGN KEY ("auction_id") REFERENCES "public"."auctions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_member_order_idx" ON "notifications" USING btree ("member_id","tx_id","id");--> statement-breakpoint
CREATE INDEX "notifications_member_unread_idx" ON "notifications" USING btree ("member_id","tx_id","id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "watches_auction_idx" ON "watches" USING btree ("auction_id");