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
