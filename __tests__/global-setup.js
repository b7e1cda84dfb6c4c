// The stack zips the processor bundle, so it must exist before any construct test synthesizes.
module.exports = async () => {
  const { buildFunction } = await import("../scripts/build.mjs");
  await buildFunction();
};
