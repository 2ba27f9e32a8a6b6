"""Channel adapters: each verifies a request, parses it to an Inbound, renders Replies."""
