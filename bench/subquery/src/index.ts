export * from "./mappings/contractEmitted";
