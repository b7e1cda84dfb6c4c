import { imageSuffixes } from "../../constructs/image-processing-pipeline";
import { addressOf, onlyResource, ref, synthStack } from "../helpers/synth";

describe("ImageProcessingPipeline", () => {
  const stack = synthStack();

  it("notifies the processor of every created .jpg, .jpeg and .png, in either case, in one resource", () => {
    const notification = onlyResource(stack, "aws_s3_bucket_notification");

    expect(notification.bucket).toBe(ref(stack, "aws_s3_bucket", "id"));
    expect(notification.lambda_function.map((f: any) => f.filter_suffix).sort()).toEqual(
      [".JPEG", ".JPG", ".PNG", ".jpeg", ".jpg", ".png"],
    );
    for (const target of notification.lambda_function) {
      expect(target).toMatchObject({ events: ["s3:ObjectCreated:*"], lambda_function_arn: ref(stack, "aws_lambda_function", "arn") });
    }
  });

  it("notifies the suffixes of opt-in formats too, and rejects an unknown format naming the allowed ones", () => {
    const wider = synthStack({ formats: ["jpeg", "png", "webp", "heic"] });
    const suffixes = onlyResource(wider, "aws_s3_bucket_notification").lambda_function.map((f: any) => f.filter_suffix);

    expect(suffixes).toEqual(expect.arrayContaining([".webp", ".WEBP", ".heic", ".HEIC", ".heif", ".HEIF"]));
    expect(suffixes).toHaveLength(imageSuffixes(["jpeg", "png", "webp", "heic"]).length);
    expect(onlyResource(wider, "aws_lambda_function").environment.variables.IMAGE_FORMATS).toBe("jpeg,png,webp,heic");
    expect(() => synthStack({ formats: ["jpeg", "bmp" as any] })).toThrow(
      /formats must be a non-empty list without repeats of jpeg, png, webp, gif, avif, heic, tiff; got \["jpeg","bmp"\]/,
    );
  });

  it("configures the notification only after S3 may invoke the function", () => {
    expect(onlyResource(stack, "aws_s3_bucket_notification").depends_on).toContain(addressOf(stack, "aws_lambda_permission"));
  });

  it("has no custom-resource Lambda: the processor is the only function", () => {
    expect(Object.keys(stack.tf.resource.aws_lambda_function)).toHaveLength(1);
  });

  it("lets two pipelines with different environments share one stack", () => {
    const { Testing, TerraformStack } = jest.requireActual("cdktf");
    const { ImageProcessingPipeline } = jest.requireActual("../../constructs/image-processing-pipeline");
    const shared = new TerraformStack(Testing.app(), "shared");
    new ImageProcessingPipeline(shared, "Blue", { environment: "blue" });
    new ImageProcessingPipeline(shared, "Green", { environment: "green" });

    const names = Object.values(JSON.parse(Testing.synth(shared)).resource.aws_lambda_function).map((f: any) => f.function_name);

    expect(names.sort()).toEqual(["ImageProcessor-blue", "ImageProcessor-green"]);
  });
});
