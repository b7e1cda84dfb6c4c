import { Testing } from "cdktf";
// Type declarations of the matchers below.
import "cdktf/lib/testing/adapters/jest";

// The cdktf matchers (toHaveResource, toHaveResourceWithProperties, ...).
Testing.setupJest();

// Tests run on the local Node 20; the function runs on Lambda's nodejs22.x.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
