// Entry point of p2pchat-rendezvous (placeholder until the server lands).
return 0;
