"""One module per page: ``layout(parsed)`` builds the page; ``register(app)`` its callbacks."""
