import { Testing } from "cdktf";
// Type declarations of the matchers below.
import "cdktf/lib/testing/adapters/jest";

// The cdktf matchers (toHaveResource, toHaveResourceWithProperties, ...).
Testing.setupJest();
