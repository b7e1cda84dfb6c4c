import { Testing } from "cdktf";
// Type declarations of the matchers below.
import "cdktf/lib/testing/adapters/jest";

// The cdktf matchers (toHaveResource, toHaveResourceWithProperties, ...).
Testing.setupJest();

// The SDK warns of Node versions it will drop; the suites run on the runtime's Node (the `node` devDependency).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
