"""HTTP glue: parse the request, call the domain, set headers. No domain logic here."""
