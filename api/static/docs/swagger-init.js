// Starts Swagger UI on /docs (an external file, so the page needs no inline script).
window.ui = SwaggerUIBundle({
  url: document.body.dataset.openapiUrl,
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  persistAuthorization: true,
  validatorUrl: null,
});
