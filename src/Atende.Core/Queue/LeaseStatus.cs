namespace Atende.Core.Queue;

/// <summary>
/// Where a row of a leased queue (<see cref="LeasedQueue"/>) is. Pending: waits for its next attempt. Sending: claimed by a
/// dispatcher until its lease lapses. Sent: done. Dead: refused for good or out of attempts; an admin may retry it.
/// </summary>
public enum LeaseStatus { Pending, Sending, Sent, Dead }
