# Copies the map library out of node_modules; warns (does not fail) when `npm ci` has not run,
# so the C++ build still works and only /map lacks its drawing.
set(LIB ${NODE_MODULES}/cytoscape/dist/cytoscape.min.js)
if(EXISTS ${LIB})
  file(MAKE_DIRECTORY ${OUT})
  file(COPY ${LIB} DESTINATION ${OUT})
  file(COPY_FILE ${NODE_MODULES}/cytoscape/LICENSE ${OUT}/cytoscape.LICENSE.txt ONLY_IF_DIFFERENT)
else()
  message(WARNING "node_modules/cytoscape is missing: run `make setup` (npm ci); /map will not draw")
endif()

# The map-at-a-glance treemap's layout (npm d3-hierarchy: squarified treemap, no DOM of its own).
set(D3H ${NODE_MODULES}/d3-hierarchy)
if(EXISTS ${D3H}/dist/d3-hierarchy.min.js)
  file(MAKE_DIRECTORY ${OUT})
  file(COPY ${D3H}/dist/d3-hierarchy.min.js DESTINATION ${OUT})
  file(COPY_FILE ${D3H}/LICENSE ${OUT}/d3-hierarchy.LICENSE.txt ONLY_IF_DIFFERENT)
else()
  message(WARNING "node_modules/d3-hierarchy is missing: run `make setup` (npm ci); /map will not draw its treemap")
endif()

# Swagger UI for the API documentation page /api/docs (npm swagger-ui-dist): the bundle, its
# stylesheet and icon, and its licence.
set(SWAGGER ${NODE_MODULES}/swagger-ui-dist)
if(EXISTS ${SWAGGER}/swagger-ui-bundle.js)
  file(MAKE_DIRECTORY ${OUT}/swagger-ui)
  file(COPY ${SWAGGER}/swagger-ui-bundle.js ${SWAGGER}/swagger-ui.css ${SWAGGER}/favicon-32x32.png
       DESTINATION ${OUT}/swagger-ui)
  file(COPY_FILE ${SWAGGER}/LICENSE ${OUT}/swagger-ui/LICENSE.txt ONLY_IF_DIFFERENT)
else()
  message(WARNING "node_modules/swagger-ui-dist is missing: run `make setup` (npm ci); /api/docs will be empty")
endif()
