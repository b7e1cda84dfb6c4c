/**
 * The AWS provider versions the synthesized configuration is valid for: the stacks and the
 * module use nothing that 5.100 lacks or 6.x removed, and `npm run test:deploy` validates and
 * applies them with 5.100 (the prebuilt bindings are generated from 6.x).
 */
export const AWS_PROVIDER_REQUIREMENT = { source: "hashicorp/aws", version: ">= 5.100, < 7.0" } as const;

/** The Terraform versions the module works with: its cross-variable validations need 1.9. */
export const MODULE_TERRAFORM_VERSION = ">= 1.9";
