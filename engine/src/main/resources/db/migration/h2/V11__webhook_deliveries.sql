-- Webhook deliveries already received, by the provider's delivery id (GitHub's X-GitHub-Delivery):
-- a delivery sent again (a redelivery, a replay) is answered and not acted on twice, on any replica.
CREATE TABLE webhook_deliveries (
  provider    VARCHAR(20)  NOT NULL,
  delivery_id VARCHAR(200) NOT NULL,
  event       VARCHAR(100) NOT NULL,
  received_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (provider, delivery_id)
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
