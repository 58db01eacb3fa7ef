package dev.flotilla.engine.port;

/**
 * Opens units of work: the work commits when it returns and rolls back when it throws. A {@link
 * StoreException} or runtime exception from the work reaches the caller unchanged.
 */
public interface Transactions {
  /** Work done inside one unit of work. */
  @FunctionalInterface
  interface Work<T> {
    T run(UnitOfWork unit) throws StoreException;
  }

  /** Runs {@code work} in one unit of work; {@code doing} names it in the exception when the store fails it. */
  <T> T inTransaction(String doing, Work<T> work) throws StoreException;

  default <T> T inTransaction(Work<T> work) throws StoreException {
    return inTransaction("run a transaction", work);
  }
}
