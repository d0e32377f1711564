/** Layering rules (which lib folder may import which); filled in with the import-cycle work. */
const layers = [];

export default layers;
