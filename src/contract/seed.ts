/** The seed the canonical contract's examples are built with. */
export const CONTRACT_SEED = 4242;
