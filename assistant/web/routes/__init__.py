"""HTTP routes, one module per area; each is an APIRouter included by the app factory."""
