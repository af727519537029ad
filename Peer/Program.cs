// Entry point of p2pchat (placeholder until the peer lands).
return 0;
