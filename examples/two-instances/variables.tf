variable "region" {
  type        = string
  description = "AWS region to deploy both instances to."
  default     = "us-east-1"
}

variable "environment" {
  type        = string
  description = "Environment name, shared by both instances."
  default     = "dev"
}

variable "notification_email" {
  type        = string
  description = "Email that receives both instances' alarms. Required: with data_protection on, the module refuses a deployment with nobody to alert."
}

variable "data_protection" {
  type        = bool
  description = "Keep the buckets' objects and the tables through a destroy. Set false and apply before destroying, to decommission."
  default     = true
}

variable "instances" {
  type        = map(string)
  description = "One pipeline per entry: name prefix => owning team (an Owner tag)."
  default = {
    blue  = "team-blue"
    green = "team-green"
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource of both instances."
  default     = { Purpose = "ImageProcessing" }
}

variable "with_derivatives" {
  type        = set(string)
  description = "Instances that make renditions of every processed image (into their own derivatives bucket)."
  default     = ["blue"]
}

variable "with_eventbridge" {
  type        = set(string)
  description = "Instances whose bucket's events reach the processor through EventBridge (a rule and a queue) instead of an S3 notification."
  default     = ["green"]
}

variable "renditions" {
  type = list(object({
    name    = string
    width   = optional(number)
    height  = optional(number)
    fit     = optional(string, "inside")
    format  = optional(string, "webp")
    quality = optional(number)
  }))
  description = "The renditions of those instances: a square thumbnail and a page-sized WebP."
  default = [
    { name = "thumbnail", width = 320, height = 320, fit = "cover", quality = 75 },
    { name = "large", width = 1920, height = 1920, quality = 80 },
  ]
}
