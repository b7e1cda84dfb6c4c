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
