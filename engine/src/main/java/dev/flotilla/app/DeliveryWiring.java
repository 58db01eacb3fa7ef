package dev.flotilla.app;

import dev.flotilla.api.RouteTable;
import dev.flotilla.delivery.Delivery;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.store.Database;

/**
 * What a delivery brings to the engine: its adapter, made once the database is open (pull delivery
 * keeps its sequences, tokens and reports there), and the routes it serves next to the API (pull
 * sites' agents call them). A plain adapter brings no routes.
 */
public interface DeliveryWiring {
  Delivery delivery(Database db) throws StoreException;

  default RouteTable routes() {
    return routes -> {};
  }

  /** An adapter that needs neither the database nor routes (the simulator, push). */
  static DeliveryWiring of(Delivery delivery) {
    return db -> delivery;
  }
}
