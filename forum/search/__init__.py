"""The application's side of search: keeping the index up to date and answering queries."""
