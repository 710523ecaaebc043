/** Where typed handlers' generated glue lives: `<output>/handlers_glue/picofun_api/`. */
export const GLUE_DIR = "handlers_glue";
export const GLUE_PACKAGE = "picofun_api";
