"""The API's composition: every app's routes under /api and their OpenAPI fragments put
together into one document. Apps never import this package; it imports them."""
